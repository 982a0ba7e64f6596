/**
 * Where each member of a scanned line sits: the members of the top-level object and of its
 * objects, as numbers in a table reused for every line (nothing is allocated per member).
 *
 * A line of a known shape (line-shape.ts) borrows its shape's table instead, whose positions
 * are offsets from the end of a value before them: a position is worked out when it is read,
 * and a member looked up by key is looked up once per shape.
 */

/** Positions a member has: key start, key end, value start, value end. */
export const POSITIONS = 4;
export const MAX_MEMBERS = 256;
const QUOTE = 0x22;

/** A member table taken out, to be lent to lines of the same shape. */
export interface MemberRows {
  /** Per member: the member whose object holds it, or -1 (the top level). */
  readonly parents: Int32Array;
  /** POSITIONS a member. */
  readonly positions: Int32Array;
  /** Members of the top level. */
  readonly tops: Int32Array;
  /** Members found by key so far, per parent (+ 1). */
  readonly finds: Array<Map<string, number> | undefined>;
}

const ownParents = new Int32Array(MAX_MEMBERS);
const ownPositions = new Int32Array(MAX_MEMBERS * POSITIONS);
const ownTops = new Int32Array(MAX_MEMBERS);
/** The anchors of a table filled by the scanner: none, its positions are where they are. */
const NO_ANCHORS = new Int32Array(MAX_MEMBERS * POSITIONS).fill(-1);

let text = '';
let count = 0;
let topCount = 0;
let parents: Int32Array = ownParents;
let positions: Int32Array = ownPositions;
let tops: Int32Array = ownTops;
let anchors: Int32Array = NO_ANCHORS;
let ends: Int32Array = NO_ANCHORS;
let finds: MemberRows['finds'] | undefined;
let shape: object | undefined;

/** Starts a table for `line`, to be filled by the scanner. */
export function startTable(line: string): void {
  text = line;
  count = 0;
  topCount = 0;
  parents = ownParents;
  positions = ownPositions;
  tops = ownTops;
  anchors = NO_ANCHORS;
  finds = undefined;
  shape = undefined;
}

/** Takes the next row, filled by `setMember` once the member's value is scanned. */
export function reserveMember(): number {
  return count++;
}

export function setMember(
  m: number,
  parent: number,
  keyStart: number,
  keyEnd: number,
  valueStart: number,
  valueEnd: number,
): void {
  parents[m] = parent;
  if (parent < 0) tops[topCount++] = m;
  const o = m * POSITIONS;
  positions[o] = keyStart;
  positions[o + 1] = keyEnd;
  positions[o + 2] = valueStart;
  positions[o + 3] = valueEnd;
}

/** A copy of the table the scanner filled. */
export function copyRows(): MemberRows {
  return {
    parents: ownParents.slice(0, count),
    positions: ownPositions.slice(0, count * POSITIONS),
    tops: ownTops.slice(0, topCount),
    finds: [],
  };
}

/**
 * Lends `rows` to `line`: position `p` is `rows.positions[p] + lineEnds[anchors[p]]` (an anchor
 * of -1: the offset alone).
 */
export function loadRows(line: string, rows: MemberRows, rowAnchors: Int32Array, lineEnds: Int32Array): void {
  text = line;
  parents = rows.parents;
  positions = rows.positions;
  tops = rows.tops;
  count = parents.length;
  topCount = tops.length;
  anchors = rowAnchors;
  ends = lineEnds;
  finds = rows.finds;
  shape = rows;
}

function position(p: number): number {
  const anchor = anchors[p]!;
  return anchor < 0 ? positions[p]! : positions[p]! + ends[anchor]!;
}

const keyStart = (m: number) => position(m * POSITIONS);
const keyEnd = (m: number) => position(m * POSITIONS + 1);
const valueStart = (m: number) => position(m * POSITIONS + 2);
const valueEnd = (m: number) => position(m * POSITIONS + 3);

/** Whether `text` holds `s` at `at`. (V8 runs `startsWith` with a position much slower.) */
const holds = (s: string, at: number) =>
  s.length === 0 || (text.charCodeAt(at) === s.charCodeAt(0) && text.indexOf(s, at) === at);

function findMember(parent: number, key: string): number {
  const isKey = (m: number) => {
    const start = keyStart(m);
    return keyEnd(m) - start === key.length && holds(key, start);
  };
  if (parent < 0) {
    for (let i = 0; i < topCount; i++) if (isKey(tops[i]!)) return tops[i]!;
    return -1;
  }
  // A member's own members follow it in the table, one after the other.
  for (let m = parent + 1; m < count && parents[m] === parent; m++) if (isKey(m)) return m;
  return -1;
}

/** The member table of the last successful scan: valid until the next call. */
export interface ScannedObject {
  readonly text: string;
  /**
   * The same object for every line of one shape (see line-shape.ts), undefined for a line
   * scanned token by token: its members, their places in the table and the types of their
   * values are the shape's, so that what is found out of them can be kept per shape. Only
   * string contents and integers differ from line to line.
   */
  readonly shape: object | undefined;
  /** Index of member `key` of the object that member `parent` holds (-1: the top level), or -1. */
  find(parent: number, key: string): number;
  /**
   * Index of member `key` of the object that member `parent` holds, or -1, also when `parent`
   * is -1 (a member not found) or holds no object.
   */
  findIn(parent: number, key: string): number;
  /** The member's value, as `JSON.parse` would give it. */
  value(member: number): unknown;
  /** Whether member `m` (-1: none) holds a string; and that string, without making it. */
  isString(member: number): boolean;
  isText(member: number, text: string): boolean;
  /** Whether member `m` (-1: none) holds a number: an integer, in the scanned subset. */
  isInteger(member: number): boolean;
  /** Whether member `m` (-1: none) holds an object, whose members (if it is at the top level) were recorded. */
  isObject(member: number): boolean;
  valueStart(member: number): number;
  valueEnd(member: number): number;
  /** Start of the member's key (its opening quote). */
  memberStart(member: number): number;
}

export const scanned: ScannedObject = {
  get text() {
    return text;
  },
  get shape() {
    return shape;
  },
  find(parent, key) {
    if (finds === undefined) return findMember(parent, key);
    // Every line of a shape has its members in the same places in the table.
    let known = finds[parent + 1];
    if (known === undefined) {
      known = new Map();
      finds[parent + 1] = known;
    }
    let m = known.get(key);
    if (m === undefined) {
      m = findMember(parent, key);
      known.set(key, m);
    }
    return m;
  },
  value(m) {
    const start = valueStart(m);
    const end = valueEnd(m);
    // Canonical and free of escapes: a string is its text between the quotes.
    switch (text.charCodeAt(start)) {
      case QUOTE:
        return text.slice(start + 1, end - 1);
      case 0x74:
        return true;
      case 0x66:
        return false;
      case 0x6e:
        return null;
      case 0x7b:
      case 0x5b:
        return JSON.parse(text.slice(start, end));
      default:
        return Number(text.slice(start, end));
    }
  },
  isString: (m) => m >= 0 && text.charCodeAt(valueStart(m)) === QUOTE,
  isText(m, value) {
    if (m < 0) return false;
    const start = valueStart(m);
    return (
      valueEnd(m) - start === value.length + 2 && text.charCodeAt(start) === QUOTE && holds(value, start + 1)
    );
  },
  isObject: (m) => m >= 0 && text.charCodeAt(valueStart(m)) === 0x7b,
  findIn(parent, key) {
    return this.isObject(parent) ? this.find(parent, key) : -1;
  },
  isInteger(m) {
    if (m < 0) return false;
    const c = text.charCodeAt(valueStart(m));
    return c === 0x2d || (c >= 0x30 && c <= 0x39);
  },
  valueStart,
  valueEnd,
  memberStart: (m) => keyStart(m) - 1,
};
