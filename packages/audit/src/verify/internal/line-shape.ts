/**
 * The shapes of lines already scanned: a line's text with its string values and integers left
 * out. The audit log writes a few shapes over and over (one per kind of record), so a line of a
 * known shape is checked by comparing its structure with the shape's, piece by piece, instead
 * of scanning it token by token: its keys were checked once (ascending, so unique, and no
 * deeper than allowed), when the shape was learned.
 *
 * Why a match is canonical: the shape's pieces are the text of a line the scanner accepted,
 * minus its string contents and integers; the line matched has the same pieces, and in their
 * place string contents ending at the next quote and integers read by the scanner's own rule.
 * The caller has already checked the whole line for backslashes, control characters and lone
 * surrogates, so the line is what the scanner would have accepted, token for token, and the
 * members sit where the shape says, shifted by the lengths of the values before them.
 */

import { copyRows, loadRows, type MemberRows, POSITIONS } from './member-table.js';

const QUOTE = 0x22;
const COLON = 0x3a;
/** Shapes kept, most recently matched first: more kinds of record than the log writes. */
const MAX_SHAPES = 8;
/** Lines with more values than this are not learned (the audit log's have about forty). */
const MAX_HOLES = 512;

/** Text between values, and what each value is: what a line is matched against. */
interface Pattern {
  /** The text between values: one more than there are values. */
  readonly pieces: readonly string[];
  /** Per value: 1 for an integer, 0 for a string's content. */
  readonly integer: Uint8Array;
}

interface Shape extends Pattern {
  /** The learned line's member table, each position made an offset from its anchor's end. */
  readonly rows: MemberRows;
  /** Per position of `rows`: the value it follows (-1: the line's start). */
  readonly anchors: Int32Array;
  /** The line learned from, and where its values start and end. */
  readonly learned: string;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Per value: 1 once a line has held another value there than the learned line. */
  readonly varies: Uint8Array;
  /** The shape with the values that have not varied written in: fewer pieces to compare. */
  folded: Folded;
}

/** A shape's pattern with its constant values written into its pieces. */
interface Folded extends Pattern {
  /** Per value of the shape: the folded value it is (-1: a constant one). */
  readonly own: Int32Array;
  /** Per value of the shape: the folded value before it (-1: none), and its end's distance from that one's. */
  readonly after: Int32Array;
  readonly distance: Int32Array;
}

/**
 * Pieces longer than this are compared as a slice of the line: V8's indexOf prepares a
 * Boyer-Moore search for a long pattern on every call, which costs more than the comparison.
 */
const LONG_PIECE = 48;
const shapes: Shape[] = [];
/** Where each value of the line being matched ends: per value of the shape, and of its folded pattern. */
const holeEnds = new Int32Array(MAX_HOLES);
const foldedEnds = new Int32Array(MAX_HOLES);

/**
 * Fills the member table for `line` when it has a known shape, and says whether it had. The
 * caller has checked `line` for backslashes, control characters and lone surrogates.
 */
export function matchShape(line: string): boolean {
  for (let s = 0; s < shapes.length; s++) {
    const shape = shapes[s]!;
    if (matches(shape.folded, line, foldedEnds)) unfold(shape.folded);
    else if (matches(shape, line, holeEnds)) refold(shape, line);
    else continue;
    if (s > 0) {
      shapes.splice(s, 1);
      shapes.unshift(shape);
    }
    loadRows(line, shape.rows, shape.anchors, holeEnds);
    return true;
  }
  return false;
}

/**
 * Whether `line` has the pattern, putting where its values end in `ends`. A line that has the
 * folded pattern has the shape's, with the constant values in their places.
 */
function matches(pattern: Pattern, line: string, ends: Int32Array): boolean {
  const { pieces, integer } = pattern;
  const last = pieces.length - 1;
  let at = 0;
  for (let h = 0; ; h++) {
    const piece = pieces[h]!;
    // indexOf, not startsWith: V8 runs startsWith with a position twenty times slower.
    if (
      piece.length > LONG_PIECE ? line.slice(at, at + piece.length) !== piece : line.indexOf(piece, at) !== at
    )
      return false;
    at += piece.length;
    if (h === last) return at === line.length;
    if (integer[h] === 1) {
      at = integerEnd(line, at);
      if (at < 0) return false;
    } else {
      at = line.indexOf('"', at);
      if (at < 0) return false;
    }
    ends[h] = at;
  }
}

/** Where the shape's values end, from where the folded pattern's did. */
function unfold(folded: Folded): void {
  const { own, after, distance } = folded;
  for (let h = 0; h < own.length; h++) {
    const o = own[h]!;
    if (o >= 0) holeEnds[h] = foldedEnds[o]!;
    else {
      const a = after[h]!;
      holeEnds[h] = (a < 0 ? 0 : foldedEnds[a]!) + distance[h]!;
    }
  }
}

/** After a line that had the shape but not its folded pattern: the values it changed vary. */
function refold(shape: Shape, line: string): void {
  const { pieces, learned, starts, ends, varies } = shape;
  for (let h = 0; h < varies.length; h++) {
    if (varies[h] === 1) continue;
    const start = (h === 0 ? 0 : holeEnds[h - 1]!) + pieces[h]!.length;
    if (!sameText(line, start, holeEnds[h]!, learned, starts[h]!, ends[h]!)) varies[h] = 1;
  }
  shape.folded = fold(shape);
}

function sameText(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let k = 0; k < aEnd - aStart; k++)
    if (a.charCodeAt(aStart + k) !== b.charCodeAt(bStart + k)) return false;
  return true;
}

/** The shape's pattern, each value that has not varied written in as the learned line has it. */
function fold(shape: Shape): Folded {
  const { pieces, integer, learned, starts, ends, varies } = shape;
  const folded: string[] = [];
  const foldedInteger: number[] = [];
  const own = new Int32Array(varies.length);
  const after = new Int32Array(varies.length);
  const distance = new Int32Array(varies.length);
  let piece = pieces[0]!;
  let previous = -1;
  for (let h = 0; h < varies.length; h++) {
    if (varies[h] === 1) {
      folded.push(piece);
      foldedInteger.push(integer[h]!);
      previous = folded.length - 1;
      own[h] = previous;
      piece = pieces[h + 1]!;
    } else {
      own[h] = -1;
      after[h] = previous;
      // The text from the folded value before (or the line's start) to this value's end is constant.
      const from = previous < 0 ? 0 : ends[lastVarying(varies, h)]!;
      distance[h] = ends[h]! - from;
      piece += learned.slice(starts[h]!, ends[h]!) + pieces[h + 1]!;
    }
  }
  folded.push(piece);
  return { pieces: folded, integer: Uint8Array.from(foldedInteger), own, after, distance };
}

/** The last value before h that varies. */
function lastVarying(varies: Uint8Array, h: number): number {
  let v = h - 1;
  while (varies[v] !== 1) v--;
  return v;
}

/** The end of an integer at `at` by the scanner's rule (see canonical-scan.ts), or -1. */
function integerEnd(line: string, at: number): number {
  let i = at;
  const c = line.charCodeAt(i);
  if (c === 0x30) i++;
  else {
    if (c === 0x2d) i++;
    const first = i;
    while (isDigit(line.charCodeAt(i))) i++;
    if (i === first || i - first > 15 || line.charCodeAt(first) === 0x30) return -1;
  }
  const next = line.charCodeAt(i);
  if (isDigit(next) || next === 0x2e || next === 0x65 || next === 0x45) return -1;
  return i;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Learns the shape of `line`, which the scanner has just accepted and whose members fill the
 * member table.
 */
export function learnShape(line: string): void {
  const pieces: string[] = [];
  const integer: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let pieceStart = 0;
  for (let i = 0; i < line.length; ) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) {
      const close = line.indexOf('"', i + 1);
      // A key stays in the piece: only values vary from line to line.
      if (line.charCodeAt(close + 1) !== COLON) {
        pieces.push(line.slice(pieceStart, i + 1));
        integer.push(0);
        starts.push(i + 1);
        ends.push(close);
        pieceStart = close;
      }
      i = close + 1;
    } else if (c === 0x2d || isDigit(c)) {
      pieces.push(line.slice(pieceStart, i));
      let j = i + 1;
      while (isDigit(line.charCodeAt(j))) j++;
      integer.push(1);
      starts.push(i);
      ends.push(j);
      pieceStart = j;
      i = j;
    } else i++;
  }
  pieces.push(line.slice(pieceStart));
  if (ends.length > MAX_HOLES) return;
  const rows = copyRows();
  const anchors = new Int32Array(rows.parents.length * POSITIONS);
  for (let p = 0; p < anchors.length; p++) {
    const position = rows.positions[p]!;
    // The last value that ends at or before the position: the text between is the shape's.
    let anchor = -1;
    while (anchor + 1 < ends.length && ends[anchor + 1]! <= position) anchor++;
    anchors[p] = anchor;
    rows.positions[p] = position - (anchor < 0 ? 0 : ends[anchor]!);
  }
  const shape: Shape = {
    pieces,
    integer: Uint8Array.from(integer),
    rows,
    anchors,
    learned: line,
    starts: Int32Array.from(starts),
    ends: Int32Array.from(ends),
    varies: new Uint8Array(ends.length),
    folded: undefined as unknown as Folded,
  };
  // Until a line shows otherwise, every value is taken for a constant.
  shape.folded = fold(shape);
  if (shapes.length === MAX_SHAPES) shapes.pop();
  shapes.unshift(shape);
}

/** Forgets every shape learned, so that the next lines are scanned token by token. */
export function forgetShapes(): void {
  shapes.length = 0;
}
