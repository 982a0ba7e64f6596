import { canonicalRecord } from '../../chain/hash-chain.js';
import { describeValue } from '../../internal/describe-value.js';
import { sha256Hex } from '../../internal/sha256-hex.js';
import type { CheckpointFields, PreviousStreamFields } from '../../records/audit-record.js';
import { type ScannedObject, scanCanonicalObject } from './canonical-scan.js';
import { jsonTextProblem } from './json-text-problem.js';
import { MAX_RECORD_DEPTH, nestedDeeperThan, TOO_DEEP } from './record-depth.js';
import { ShapeMemo } from './shape-memo.js';

/** What verification needs of one chained record. */
export interface RecordFacts {
  readonly stream: string;
  readonly sequence: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly timestamp: string | undefined;
  readonly isCheckpoint: boolean;
  readonly checkpoint: CheckpointFields | undefined;
  readonly previous: PreviousStreamFields | undefined;
  /** The record's content is what its `event.hash` was computed over. */
  readonly intact: boolean;
}

/** A chained record's facts, `skip` for a gap record (not part of any stream), or why not. */
export type CheckedLine = RecordFacts | 'skip' | { readonly malformed: string };

const NOT_CHAINED = {
  malformed: 'not a chained audit record (event.sequence, event.hash, audit.stream, audit.prev_hash)',
};

/** Reads field `key` of the record's `event` or `audit` object, or its top-level `@timestamp`. */
type Read = (object: 'event' | 'audit' | undefined, key: string) => unknown;

/**
 * Checks one line as written. A line in canonical form (every line the audit log writes) is
 * hashed as it is, with its `event.hash` member cut out, and its fields are read where they
 * sit, without parsing the line. Any other line is parsed whole and canonicalized, once its
 * text is known to hold no duplicate key and no nesting too deep to canonicalize (a canonical
 * line can hold neither: its keys ascend strictly, and it is at most 32 levels deep).
 *
 * The fast path cannot accept a record the slow path rejects, nor the reverse: it is taken only
 * when the line is canonical JSON (see canonical-scan.ts), and then the line without that
 * member is exactly `canonicalRecord(JSON.parse(line))`, because removing one member from a
 * canonical object leaves the canonical form of the rest; both paths hash the same text, and
 * read the same values. `plain`: see scanCanonicalObject. `bytes` (from `at`): the line's own
 * bytes, when it is ASCII, which the hash may be made in (they are overwritten).
 */
export function factsOfLine(line: string, plain = false, bytes?: Buffer, at = 0): CheckedLine {
  const scanned = scanCanonicalObject(line, plain);
  if (scanned === undefined) {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      return { malformed: `not JSON: ${(error as Error).message}` };
    }
    const problem = jsonTextProblem(line);
    return problem === undefined ? factsOfParsed(record) : { malformed: problem };
  }
  return factsOfScanned(scanned, bytes, at);
}

/**
 * `facts` of a scanned line, read from its member table: each field found once per shape of
 * line (the types that make a record chained are the shape's too), and only the strings kept
 * made (a third of the time the line takes, read through `facts`).
 */
function factsOfScanned(s: ScannedObject, bytes: Buffer | undefined, at: number): CheckedLine {
  const p = plans.of(s);
  if (s.isText(p.action, 'audit-gap')) return 'skip';
  if (!p.chained) return NOT_CHAINED;
  const previous = p.previous < 0 ? undefined : s.value(p.previous);
  const badPrevious = previous === undefined ? undefined : previousProblem(previous);
  if (badPrevious !== undefined) return { malformed: badPrevious };
  const isCheckpoint = s.isText(p.action, 'audit-checkpoint');
  const checkpoint = isCheckpoint && p.checkpoint >= 0 ? s.value(p.checkpoint) : undefined;
  const prev = s.value(p.prevHash) as string;
  const own = s.value(p.hash) as string;
  return {
    stream: s.value(p.stream) as string,
    sequence: s.value(p.sequence) as number,
    prevHash: prev,
    hash: own,
    timestamp: p.timestamp < 0 ? undefined : (s.value(p.timestamp) as string),
    isCheckpoint,
    checkpoint:
      typeof checkpoint === 'object' && checkpoint !== null ? (checkpoint as CheckpointFields) : undefined,
    previous: previous as PreviousStreamFields | undefined,
    intact: digest(s, p.hash, prev, bytes, at) === own,
  };
}

/** Where a shape's members are (-1: absent), and whether its types make a chained record. */
interface FactsPlan {
  readonly action: number;
  /** `audit.stream`, `event.sequence`, `event.hash` and `audit.prev_hash` are of their types. */
  readonly chained: boolean;
  readonly stream: number;
  readonly sequence: number;
  readonly hash: number;
  readonly prevHash: number;
  readonly previous: number;
  readonly checkpoint: number;
  /** `@timestamp`, when it is a string. */
  readonly timestamp: number;
}

const plans = new ShapeMemo<FactsPlan>((s) => {
  const event = s.find(-1, 'event');
  const audit = s.find(-1, 'audit');
  const stream = s.findIn(audit, 'stream');
  const sequence = s.findIn(event, 'sequence');
  const hash = s.findIn(event, 'hash');
  const prevHash = s.findIn(audit, 'prev_hash');
  const timestamp = s.find(-1, '@timestamp');
  return {
    action: s.findIn(event, 'action'),
    chained: s.isString(stream) && s.isInteger(sequence) && s.isString(hash) && s.isString(prevHash),
    stream,
    sequence,
    hash,
    prevHash,
    previous: s.findIn(audit, 'previous'),
    checkpoint: s.findIn(audit, 'checkpoint'),
    timestamp: s.isString(timestamp) ? timestamp : -1,
  };
});

/**
 * Checks a parsed record by canonicalizing it: for records in memory and parsed entries. What
 * their text held (a duplicate key, say) is gone: only lines can be checked for it.
 */
export function factsOfRecord(record: unknown): CheckedLine {
  return nestedDeeperThan(record, MAX_RECORD_DEPTH) ? { malformed: TOO_DEEP } : factsOfParsed(record);
}

/** A parsed record no deeper than MAX_RECORD_DEPTH, canonicalized to be hashed. */
function factsOfParsed(record: unknown): CheckedLine {
  const r = record as Record<string, Record<string, unknown> | undefined> | undefined;
  const read: Read = (object, key) => {
    if (object === undefined) return r?.[key];
    const o = r?.[object];
    return typeof o === 'object' && o !== null ? o[key] : undefined;
  };
  return facts(read, (prevHash) => sha256Hex(`${prevHash}\n${canonicalRecord(record as never)}`));
}

function facts(read: Read, digest: (prevHash: string) => string): CheckedLine {
  if (read('event', 'action') === 'audit-gap') return 'skip';
  const stream = read('audit', 'stream');
  const sequence = read('event', 'sequence');
  const hash = read('event', 'hash');
  const prevHash = read('audit', 'prev_hash');
  if (
    typeof stream !== 'string' ||
    !Number.isInteger(sequence) ||
    typeof hash !== 'string' ||
    typeof prevHash !== 'string'
  ) {
    return NOT_CHAINED;
  }
  const previous = read('audit', 'previous');
  // Were an unreadable link to the stream before ignored, record 1 would pass for the start of
  // a stream that continues nothing, and a deleted lifetime before it would go unseen.
  const badPrevious = previous === undefined ? undefined : previousProblem(previous);
  if (badPrevious !== undefined) return { malformed: badPrevious };
  const isCheckpoint = read('event', 'action') === 'audit-checkpoint';
  const checkpoint = isCheckpoint ? read('audit', 'checkpoint') : undefined;
  const timestamp = read(undefined, '@timestamp');
  return {
    stream,
    sequence: sequence as number,
    prevHash,
    hash,
    timestamp: typeof timestamp === 'string' ? timestamp : undefined,
    isCheckpoint,
    checkpoint:
      typeof checkpoint === 'object' && checkpoint !== null ? (checkpoint as CheckpointFields) : undefined,
    previous: previous as PreviousStreamFields | undefined,
    intact: digest(prevHash) === hash,
  };
}

/** Why `audit.previous` is not `{ stream, sequence, hash }`, naming the first field that is wrong. */
function previousProblem(p: unknown): string | undefined {
  const expected = (path: string, what: string, got: unknown) =>
    `audit.previous${path}: expected ${what}, got ${describeValue(got)}`;
  if (typeof p !== 'object' || p === null || Array.isArray(p))
    return expected('', '{ stream, sequence, hash } of the stream before', p);
  const { stream, sequence, hash } = p as Record<string, unknown>;
  if (typeof stream !== 'string') return expected('.stream', 'a string', stream);
  if (!Number.isSafeInteger(sequence) || (sequence as number) < 1)
    return expected('.sequence', 'a whole number from 1', sequence);
  if (typeof hash !== 'string') return expected('.hash', 'a string', hash);
  return undefined;
}

/**
 * The hash of `prev`, a newline and the line without member `m` (`event.hash`, with the comma
 * that joined it to its neighbour). Given the line's bytes, it is made in them, without a string
 * of it: the text before the member moves up over the member, and `prev` and the newline go in
 * front, where the member's own bytes leave room (74 bytes, for 65).
 */
function digest(s: ScannedObject, m: number, prev: string, bytes: Buffer | undefined, at: number): string {
  const { text } = s;
  let start = s.memberStart(m);
  let end = s.valueEnd(m);
  if (text.charCodeAt(start - 1) === 0x2c) start--;
  else if (text.charCodeAt(end) === 0x2c) end++;
  const room = end - start - prev.length - 1;
  if (bytes === undefined || room < 0) return sha256Hex(`${prev}\n${text.slice(0, start) + text.slice(end)}`);
  bytes.copyWithin(at + end - start, at, at + start);
  bytes.write(prev, at + room, 'latin1');
  bytes[at + room + prev.length] = 0x0a;
  return sha256Hex(bytes.subarray(at + room, at + text.length));
}
