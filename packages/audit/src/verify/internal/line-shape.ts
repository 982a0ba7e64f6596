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

interface Shape {
  /** The text between values: one more than there are values. */
  readonly pieces: readonly string[];
  /** Per value: 1 for an integer, 0 for a string's content. */
  readonly integer: Uint8Array;
  /** The learned line's member table, each position made an offset from its anchor's end. */
  readonly rows: MemberRows;
  /** Per position of `rows`: the value it follows (-1: the line's start). */
  readonly anchors: Int32Array;
}

const shapes: Shape[] = [];
/** Where each value of the line being matched ends. */
const holeEnds = new Int32Array(MAX_HOLES);

/**
 * Fills the member table for `line` when it has a known shape, and says whether it had. The
 * caller has checked `line` for backslashes, control characters and lone surrogates.
 */
export function matchShape(line: string): boolean {
  for (let s = 0; s < shapes.length; s++) {
    const shape = shapes[s]!;
    if (!matches(shape, line)) continue;
    if (s > 0) {
      shapes.splice(s, 1);
      shapes.unshift(shape);
    }
    loadRows(line, shape.rows, shape.anchors, holeEnds);
    return true;
  }
  return false;
}

function matches(shape: Shape, line: string): boolean {
  const { pieces, integer } = shape;
  const last = pieces.length - 1;
  let at = 0;
  for (let h = 0; ; h++) {
    const piece = pieces[h]!;
    // indexOf, not startsWith: V8 runs startsWith with a position twenty times slower.
    if (line.indexOf(piece, at) !== at) return false;
    at += piece.length;
    if (h === last) return at === line.length;
    if (integer[h] === 1) {
      at = integerEnd(line, at);
      if (at < 0) return false;
    } else {
      at = line.indexOf('"', at);
      if (at < 0) return false;
    }
    holeEnds[h] = at;
  }
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
        ends.push(close);
        pieceStart = close;
      }
      i = close + 1;
    } else if (c === 0x2d || isDigit(c)) {
      pieces.push(line.slice(pieceStart, i));
      let j = i + 1;
      while (isDigit(line.charCodeAt(j))) j++;
      integer.push(1);
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
  if (shapes.length === MAX_SHAPES) shapes.pop();
  shapes.unshift({ pieces, integer: Uint8Array.from(integer), rows, anchors });
}

/** Forgets every shape learned, so that the next lines are scanned token by token. */
export function forgetShapes(): void {
  shapes.length = 0;
}
