import type { KeyObject } from 'node:crypto';
import { type AuditRecord, GENESIS_HASH } from '../audit/audit-record.js';
import { checkpointPayload, verifyCheckpointSignature } from '../audit/checkpoint-signature.js';
import { hashRecord } from '../audit/hash-chain.js';
import type { AuditEntry } from '../audit/read-audit.js';
import type { StreamReport, VerifyFailure, VerifyProblem } from '../audit/verify-report.js';

/** One chained record of a stream, where it was read, and its place in the input. */
export interface Item {
  readonly entry: AuditEntry;
  readonly record: AuditRecord;
  readonly index: number;
}

/** A stream's first problem, with its place in the input so that problems sort by position. */
export type PlacedProblem = VerifyProblem & { index: number };

/**
 * Walks one stream's records in order: each record's hash, its link to the one before, its
 * sequence, and each checkpoint (and its signature), up to the first problem.
 */
export function verifyStream(
  stream: string,
  items: Item[],
  publicKey: KeyObject | undefined,
  expectedKeyId: string | undefined,
  rules: { requireClosed: boolean; requireSignatures: boolean; requireStart: boolean },
): { report: StreamReport; problem: PlacedProblem | undefined } {
  const present = new Set(items.map((i) => i.record.event.sequence!));
  const hashes = new Map<number, string>();
  let expected = 1;
  let prev = GENESIS_HASH;
  // Files pruned by retention (fileSink's maxFiles): the chain is checked from the oldest
  // record kept, whose link to the records before it is taken on trust.
  const oldest = items[0]?.record;
  if (!rules.requireStart && oldest !== undefined && oldest.event.sequence! > 1) {
    expected = oldest.event.sequence!;
    prev = oldest.audit.prev_hash!;
  }
  const firstSequence = expected;
  let checkpoints = 0;
  let coveredTo = 0;
  let closed = false;
  let signed = false;
  let problem: PlacedProblem | undefined;

  for (const { entry, record: r, index } of items) {
    const seq = r.event.sequence!;
    const fail = (reason: VerifyFailure, message: string) => {
      problem = { reason, message, stream, sequence: seq, file: entry.file, line: entry.line, index };
    };
    if (closed) fail('after_close', `record ${seq} follows the stream's closing checkpoint`);
    else if (hashRecord(r.audit.prev_hash!, r) !== r.event.hash) {
      fail('edited', `record ${seq} does not match its event.hash: its content was changed`);
    } else if (seq === expected && r.audit.prev_hash !== prev) {
      fail(
        'chain_broken',
        `record ${seq}'s prev_hash is not the hash of record ${seq - 1}: that record was replaced`,
      );
    } else if (seq !== expected) {
      if (hashes.get(seq) === r.event.hash) fail('duplicated', `record ${seq} appears a second time`);
      else if (seq < expected || present.has(expected)) {
        fail('reordered', `record ${seq} is out of place: record ${expected} was expected here`);
      } else fail('deleted', `records ${expected}..${seq - 1} are missing before record ${seq}`);
    } else if (r.event.action === 'audit-checkpoint') {
      const cp = r.audit.checkpoint;
      if (cp === undefined || cp.count !== seq - 1 || cp.head !== prev) {
        fail('chain_broken', `checkpoint ${seq} does not vouch for the records before it`);
      } else if (cp.signature !== undefined && publicKey !== undefined) {
        signed = true;
        const payload = checkpointPayload(stream, seq, cp.count, cp.head, cp.final);
        if (cp.key_id !== expectedKeyId || !verifyCheckpointSignature(payload, cp.signature, publicKey)) {
          fail('bad_signature', `checkpoint ${seq}'s signature does not verify with the given key`);
        }
      } else if (cp.signature === undefined && (rules.requireSignatures || signed)) {
        // An unsigned checkpoint where signed ones are expected is how a cut tail would be
        // passed off as closed: the chain can be recomputed without the key.
        fail(
          'unsigned',
          `checkpoint ${seq} is not signed${signed ? ', though earlier checkpoints of its stream are' : ''}`,
        );
      }
      if (problem === undefined) {
        checkpoints++;
        coveredTo = seq;
        closed = cp!.final;
      }
    }
    if (problem) break;
    hashes.set(seq, r.event.hash!);
    prev = r.event.hash!;
    expected++;
  }

  const lastSequence = expected - 1;
  if (problem === undefined && rules.requireClosed && !closed) {
    const last = items.at(-1)!;
    problem = {
      reason: 'truncated',
      message: `stream ends at record ${lastSequence} without its closing checkpoint (checkpoints cover 1..${coveredTo}): its tail may have been cut`,
      stream,
      sequence: lastSequence,
      file: last.entry.file,
      line: last.entry.line,
      index: last.index,
    };
  }
  const files = [...new Set(items.map((i) => i.entry.file).filter((f): f is string => f !== undefined))];
  return {
    report: {
      stream,
      count: items.length,
      firstSequence,
      lastSequence,
      checkpoints,
      coveredTo,
      closed,
      signed,
      files,
    },
    problem,
  };
}
