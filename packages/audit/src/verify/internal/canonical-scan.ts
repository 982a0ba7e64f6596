/**
 * Recognises a strict subset of RFC 8785 canonical JSON without parsing it: an object whose
 * keys are in ascending UTF-16 order at every level (so unique), no whitespace, strings with
 * no backslash at all (so no escapes), no raw control characters and no lone surrogates,
 * integers of at most 15 digits (never `-0`), `true`, `false` and `null`. Text outside the
 * subset is rejected, never guessed at: the caller then parses and canonicalizes it instead.
 *
 * Why the subset is canonical: in it every token is already the form JCS (and
 * `canonicalJson`) would write. A string without `"`, `\`, controls or lone surrogates is
 * written as-is between quotes; an integer below 10^15 is written with its own digits; and
 * keys sorted strictly ascending are what JCS's sort gives. So for accepted text `t`,
 * `canonicalJson(JSON.parse(t)) === t` (the property test in canonical-scan.test.ts checks it).
 *
 * It also records where each member of the top-level object and of its objects sits, so that
 * a caller can cut out one member or parse one sub-object.
 *
 * A line with the shape of one accepted before is matched against that shape instead
 * (line-shape.ts): the same verdict and the same table, at half the cost.
 */

import { learnShape, matchShape } from './line-shape.js';
import {
  MAX_MEMBERS,
  reserveMember,
  type ScannedObject,
  scanned,
  setMember,
  startTable,
} from './member-table.js';

export type { ScannedObject } from './member-table.js';

const MAX_DEPTH = 32;
let text = '';
let at = 0;
const NOT_RECORDED = -2;
const QUOTE = 0x22;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point.
const ESCAPE_OR_CONTROL = /[\u0000-\u001f\\]/;

/**
 * Scans `line`; returns its member table when it is canonical JSON of the subset above.
 * `plain`: the caller has checked that the line holds no backslash, no control character and
 * no lone surrogate (the CLI does, for a block of ASCII lines at once, on its bytes).
 */
export function scanCanonicalObject(line: string, plain = false): ScannedObject | undefined {
  if (line.charCodeAt(0) !== 0x7b) return undefined;
  if (!plain && (ESCAPE_OR_CONTROL.test(line) || !line.isWellFormed())) return undefined;
  if (matchShape(line)) return scanned;
  text = line;
  at = 0;
  startTable(line);
  const ok = value(0, -1) && at === line.length;
  text = '';
  if (!ok) return undefined;
  learnShape(line);
  return scanned;
}

function value(depth: number, parent: number): boolean {
  const c = text.charCodeAt(at);
  if (c === 0x7b) return object(depth, parent);
  if (c === 0x5b) return array(depth);
  if (c === QUOTE) return string();
  if (c === 0x74) return literal('true');
  if (c === 0x66) return literal('false');
  if (c === 0x6e) return literal('null');
  return integer(c);
}

function object(depth: number, parent: number): boolean {
  if (depth >= MAX_DEPTH) return false;
  at++;
  if (text.charCodeAt(at) === 0x7d) {
    at++;
    return true;
  }
  let previousStart = -1;
  let previousEnd = -1;
  for (;;) {
    if (text.charCodeAt(at) !== QUOTE) return false;
    const keyStart = at + 1;
    const keyEnd = text.indexOf('"', keyStart);
    if (keyEnd < 0) return false;
    at = keyEnd + 1;
    if (previousStart >= 0 && !ascending(previousStart, previousEnd, keyStart, keyEnd)) return false;
    previousStart = keyStart;
    previousEnd = keyEnd;
    if (text.charCodeAt(at) !== 0x3a) return false;
    at++;
    const valueStart = at;
    // Members of the top level and of its objects are recorded; deeper ones (and anything in
    // an array) are only checked, and pass NOT_RECORDED down.
    const self = parent !== NOT_RECORDED && depth < 2 ? reserveMember() : NOT_RECORDED;
    if (self >= MAX_MEMBERS) return false;
    // Most values are strings: scanned here rather than through `value`.
    if (text.charCodeAt(at) === QUOTE) {
      const end = text.indexOf('"', at + 1);
      if (end < 0) return false;
      at = end + 1;
    } else if (!value(depth + 1, self)) return false;
    if (self >= 0) setMember(self, parent, keyStart, keyEnd, valueStart, at);
    const d = text.charCodeAt(at++);
    if (d === 0x7d) return true;
    if (d !== 0x2c) return false;
  }
}

function array(depth: number): boolean {
  if (depth >= MAX_DEPTH) return false;
  at++;
  if (text.charCodeAt(at) === 0x5d) {
    at++;
    return true;
  }
  for (;;) {
    if (!value(depth + 1, NOT_RECORDED)) return false;
    const d = text.charCodeAt(at++);
    if (d === 0x5d) return true;
    if (d !== 0x2c) return false;
  }
}

/** A string token: the line has no backslash, so it ends at the next quote. */
function string(): boolean {
  const end = text.indexOf('"', at + 1);
  if (end < 0) return false;
  at = end + 1;
  return true;
}

function literal(word: string): boolean {
  if (!text.startsWith(word, at)) return false;
  at += word.length;
  return true;
}

/** `0`, or an optional `-` and 1 to 15 digits without a leading zero; no fraction or exponent. */
function integer(c: number): boolean {
  let i = at;
  if (c === 0x30) i++;
  else {
    if (c === 0x2d) i++;
    const first = i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    if (i === first || i - first > 15 || text.charCodeAt(first) === 0x30) return false;
  }
  const next = text.charCodeAt(i);
  if (isDigit(next) || next === 0x2e || next === 0x65 || next === 0x45) return false;
  at = i;
  return true;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Whether key b sorts strictly after key a by UTF-16 code units (keys hold no escapes). */
function ascending(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  const n = Math.min(aLength, bLength);
  for (let k = 0; k < n; k++) {
    const x = text.charCodeAt(aStart + k);
    const y = text.charCodeAt(bStart + k);
    if (x !== y) return y > x;
  }
  return bLength > aLength;
}
