/**
 * Where each member of a scanned line sits: the members of the top-level object and of its
 * objects, as numbers in a table reused for every line (nothing is allocated per member).
 */

/** Members found: [parent member or -1, key start, key end, value start, value end]. */
const FIELDS = 5;
export const MAX_MEMBERS = 256;
const members = new Int32Array(MAX_MEMBERS * FIELDS);
let count = 0;
/** The top-level members among them, which most lookups are for. */
const tops = new Int32Array(MAX_MEMBERS);
let topCount = 0;
let text = '';
const QUOTE = 0x22;

/** Starts a table for `line`. */
export function startTable(line: string): void {
  text = line;
  count = 0;
  topCount = 0;
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
  const o = m * FIELDS;
  members[o] = parent;
  if (parent < 0) tops[topCount++] = m;
  members[o + 1] = keyStart;
  members[o + 2] = keyEnd;
  members[o + 3] = valueStart;
  members[o + 4] = valueEnd;
}

/** The member table of the last successful scan: valid until the next call. */
export interface ScannedObject {
  readonly text: string;
  /** Index of member `key` of the object that member `parent` holds (-1: the top level), or -1. */
  find(parent: number, key: string): number;
  /** The member's value, as `JSON.parse` would give it. */
  value(member: number): unknown;
  /** Whether member `m` (-1: none) holds a string; and that string, without making it. */
  isString(member: number): boolean;
  isText(member: number, text: string): boolean;
  /** Whether member `m` (-1: none) holds a number: an integer, in the scanned subset. */
  isInteger(member: number): boolean;
  valueStart(member: number): number;
  valueEnd(member: number): number;
  /** Start of the member's key (its opening quote). */
  memberStart(member: number): number;
}

export const scanned: ScannedObject = {
  get text() {
    return text;
  },
  find(parent, key) {
    if (parent < 0) {
      for (let i = 0; i < topCount; i++) {
        const m = tops[i]!;
        const start = members[m * FIELDS + 1]!;
        if (members[m * FIELDS + 2]! - start === key.length && text.startsWith(key, start)) return m;
      }
      return -1;
    }
    // A member's own members follow it in the table, one after the other.
    for (let m = parent + 1; m < count && members[m * FIELDS] === parent; m++) {
      const start = members[m * FIELDS + 1]!;
      if (members[m * FIELDS + 2]! - start === key.length && text.startsWith(key, start)) return m;
    }
    return -1;
  },
  value(m) {
    const start = members[m * FIELDS + 3]!;
    const end = members[m * FIELDS + 4]!;
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
  isString: (m) => m >= 0 && text.charCodeAt(members[m * FIELDS + 3]!) === QUOTE,
  isText(m, value) {
    if (m < 0) return false;
    const start = members[m * FIELDS + 3]!;
    return (
      members[m * FIELDS + 4]! - start === value.length + 2 &&
      text.charCodeAt(start) === QUOTE &&
      text.startsWith(value, start + 1)
    );
  },
  isInteger(m) {
    if (m < 0) return false;
    const c = text.charCodeAt(members[m * FIELDS + 3]!);
    return c === 0x2d || (c >= 0x30 && c <= 0x39);
  },
  valueStart: (m) => members[m * FIELDS + 3]!,
  valueEnd: (m) => members[m * FIELDS + 4]!,
  memberStart: (m) => members[m * FIELDS + 1]! - 1,
};
