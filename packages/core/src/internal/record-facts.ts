import type { CheckpointFields, PreviousStreamFields } from '../audit/audit-record.js';
import { canonicalRecord } from '../audit/hash-chain.js';
import { type ScannedObject, scanCanonicalObject } from './canonical-scan.js';
import { sha256Hex } from './sha256-hex.js';

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
 * sit, without parsing the line. Any other line is parsed whole and canonicalized.
 *
 * The fast path cannot accept a record the slow path rejects, nor the reverse: it is taken only
 * when the line is canonical JSON (see canonical-scan.ts), and then the line without that
 * member is exactly `canonicalRecord(JSON.parse(line))`, because removing one member from a
 * canonical object leaves the canonical form of the rest; both paths hash the same text, and
 * read the same values.
 */
export function factsOfLine(line: string): CheckedLine {
  const scanned = scanCanonicalObject(line);
  if (scanned === undefined) {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      return { malformed: `not JSON: ${(error as Error).message}` };
    }
    return factsOfRecord(record);
  }
  const parents = { event: scanned.find(-1, 'event'), audit: scanned.find(-1, 'audit') };
  const read: Read = (object, key) => {
    const parent = object === undefined ? -1 : parents[object];
    const m = parent < 0 && object !== undefined ? -1 : scanned.find(parent, key);
    return m < 0 ? undefined : scanned.value(m);
  };
  return facts(read, (prevHash) => sha256Hex(`${prevHash}\n${withoutHash(scanned)}`));
}

/** Checks a parsed record by canonicalizing it: for records in memory and non-canonical lines. */
export function factsOfRecord(record: unknown): CheckedLine {
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
  const isCheckpoint = read('event', 'action') === 'audit-checkpoint';
  const checkpoint = isCheckpoint ? read('audit', 'checkpoint') : undefined;
  const previous = read('audit', 'previous') as PreviousStreamFields | undefined;
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
    previous: isPrevious(previous) ? previous : undefined,
    intact: digest(prevHash) === hash,
  };
}

function isPrevious(p: PreviousStreamFields | undefined): p is PreviousStreamFields {
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.stream === 'string' &&
    Number.isInteger(p.sequence) &&
    typeof p.hash === 'string'
  );
}

/** The line without `event.hash`, with the comma that joined it to its neighbour. */
function withoutHash(scanned: ScannedObject): string {
  const { text } = scanned;
  const m = scanned.find(scanned.find(-1, 'event'), 'hash');
  let start = scanned.memberStart(m);
  let end = scanned.valueEnd(m);
  if (text.charCodeAt(start - 1) === 0x2c) start--;
  else if (text.charCodeAt(end) === 0x2c) end++;
  return text.slice(0, start) + text.slice(end);
}
