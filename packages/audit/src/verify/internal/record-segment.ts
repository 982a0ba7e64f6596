import type { KeyObject } from 'node:crypto';
import { checkpointPayload, verifyCheckpointSignature } from '../../chain/checkpoint-signature.js';
import { type Place, type PlacedProblem, problemAt, Rank } from './chain-problems.js';
import type { Segment } from './chain-segment.js';
import type { RecordFacts } from './record-facts.js';

/** How checkpoints are checked. */
export interface CheckpointRules {
  readonly publicKey: KeyObject | undefined;
  readonly expectedKeyId: string | undefined;
  readonly requireSignatures: boolean;
}

/**
 * One record as a run of its own, with what can be told of it alone: whether its content
 * matches its hash, and whether a checkpoint vouches for the records before it and is signed.
 * A bad checkpoint neither counts nor closes its stream.
 */
export function recordSegment(
  f: RecordFacts,
  at: Place,
  file: string | undefined,
  rules: CheckpointRules,
): Segment {
  const seq = f.sequence;
  let problem: PlacedProblem | undefined = f.intact
    ? undefined
    : problemAt(
        'edited',
        `record ${seq} does not match its event.hash: its content was changed`,
        f.stream,
        seq,
        at,
        Rank.edited,
      );
  let valid = false;
  let signed = false;
  let unsigned = false;
  const cp = f.checkpoint;
  if (f.isCheckpoint) {
    if (cp === undefined || cp.count !== seq - 1 || cp.head !== f.prevHash) {
      problem ??= problemAt(
        'chain_broken',
        `checkpoint ${seq} does not vouch for the records before it`,
        f.stream,
        seq,
        at,
        Rank.checkpoint,
      );
    } else if (cp.signature !== undefined && rules.publicKey !== undefined) {
      const payload = checkpointPayload(f.stream, seq, cp.count, cp.head, cp.final);
      signed =
        cp.key_id === rules.expectedKeyId &&
        verifyCheckpointSignature(payload, cp.signature, rules.publicKey);
      if (!signed) {
        problem ??= problemAt(
          'bad_signature',
          `checkpoint ${seq}'s signature does not verify with the given key`,
          f.stream,
          seq,
          at,
          Rank.checkpoint,
        );
      }
      valid = signed;
    } else {
      unsigned = cp.signature === undefined;
      // An unsigned checkpoint where signed ones are expected is how a cut tail would be
      // passed off as closed: the chain can be recomputed without the key.
      valid = !(unsigned && rules.requireSignatures);
      if (!valid)
        problem ??= problemAt(
          'unsigned',
          `checkpoint ${seq} is not signed`,
          f.stream,
          seq,
          at,
          Rank.checkpoint,
        );
    }
  }
  const final = valid && cp!.final === true;
  return {
    stream: f.stream,
    file,
    firstSequence: seq,
    firstPrev: f.prevHash,
    firstHash: f.hash,
    firstAt: at,
    lastSequence: seq,
    lastHash: f.hash,
    lastAt: at,
    final,
    sealedBy: final && typeof cp!.sealed?.by === 'string' ? cp!.sealed.by : undefined,
    previous: seq === 1 ? f.previous : undefined,
    started: seq === 1 ? { at, timestamp: f.timestamp } : undefined,
    count: 1,
    checkpoints: valid ? 1 : 0,
    coveredTo: valid ? seq : 0,
    signedFrom: signed ? seq : 0,
    unsigned: unsigned ? { sequence: seq, at } : undefined,
    unsignedAfterSigned: undefined,
    tail: [f.hash],
    problem,
  };
}
