import type { PreviousStreamFields } from '../../records/audit-record.js';
import { first, misplaced, type Place, type PlacedProblem } from './chain-problems.js';

/**
 * A run of one stream's records, read one after the other from one file, each linked to the
 * one before: what verification keeps instead of the records. Plain data, so that worker
 * threads can send theirs.
 */
export interface Segment {
  readonly stream: string;
  readonly file: string | undefined;
  readonly firstSequence: number;
  readonly firstPrev: string;
  readonly firstHash: string;
  readonly firstAt: Place;
  lastSequence: number;
  lastHash: string;
  lastAt: Place;
  /** It ends with a closing (or sealing) checkpoint. */
  final: boolean;
  sealedBy: string | undefined;
  /** Record 1's `audit.previous`, place and time, when this run holds record 1. */
  previous: PreviousStreamFields | undefined;
  started: { readonly at: Place; readonly timestamp: string | undefined } | undefined;
  count: number;
  checkpoints: number;
  coveredTo: number;
  /** Sequence of the first checkpoint whose signature verified, 0 if none. */
  signedFrom: number;
  unsigned: CheckpointAt | undefined;
  unsignedAfterSigned: CheckpointAt | undefined;
  /** Hashes of the last records, oldest first, to tell a repeated record from a different one. */
  tail: string[];
  problem: PlacedProblem | undefined;
}

export interface CheckpointAt {
  readonly sequence: number;
  readonly at: Place;
}

const TAIL = 8;

/**
 * Appends `next` (read after `run` from the same file) to `run` when it continues it; returns
 * the problem where it does not. A record after the close or a broken link is joined anyway,
 * so that one bad record does not split the stream; a jump is not.
 */
export function join(run: Segment, next: Segment): { joined: boolean; problem: PlacedProblem | undefined } {
  const { stream } = run;
  const seq = next.firstSequence;
  const at = next.firstAt;
  if (seq === run.lastSequence + 1) {
    let problem: PlacedProblem | undefined;
    if (run.final) problem = misplaced.afterClose(stream, seq, at);
    else if (next.firstPrev !== run.lastHash) problem = misplaced.replaced(stream, seq, at);
    absorb(run, next);
    return { joined: true, problem };
  }
  if (seq > run.lastSequence + 1) {
    return { joined: false, problem: misplaced.deleted(stream, run.lastSequence + 1, seq, at, true) };
  }
  const problem =
    knownHash(run, seq) === next.firstHash
      ? misplaced.duplicated(stream, seq, at)
      : misplaced.outOfPlace(stream, seq, run.lastSequence + 1, at);
  return { joined: false, problem };
}

/** The hash of record `seq` if the run still knows it: its first record or one of its last. */
export function knownHash(run: Segment, seq: number): string | undefined {
  if (seq === run.firstSequence) return run.firstHash;
  return run.tail[run.tail.length - 1 - (run.lastSequence - seq)];
}

/** Adds a record's hash to the run's tail (an array of the run's own, never shared). */
export function extendTail(run: Segment, hash: string): void {
  run.tail.push(hash);
  if (run.tail.length > TAIL) run.tail.shift();
}

function absorb(run: Segment, next: Segment): void {
  if (run.signedFrom > 0 && run.unsignedAfterSigned === undefined) run.unsignedAfterSigned = next.unsigned;
  run.unsignedAfterSigned ??= next.unsignedAfterSigned;
  run.unsigned ??= next.unsigned;
  if (run.signedFrom === 0) run.signedFrom = next.signedFrom;
  run.previous ??= next.previous;
  run.started ??= next.started;
  run.lastSequence = next.lastSequence;
  run.lastHash = next.lastHash;
  run.lastAt = next.lastAt;
  run.final = next.final;
  run.sealedBy = next.sealedBy;
  run.count += next.count;
  run.checkpoints += next.checkpoints;
  run.coveredTo = Math.max(run.coveredTo, next.coveredTo);
  // Copied, never shared: extendTail adds to a run's own.
  run.tail = [...run.tail, ...next.tail].slice(-TAIL);
  run.problem = first(run.problem, next.problem);
}
