import type { KeyObject } from 'node:crypto';
import { type AuditRecord, GENESIS_HASH } from './audit-record.js';
import {
  asPublicKey,
  checkpointPayload,
  type KeyInput,
  keyId,
  verifyCheckpointSignature,
} from './checkpoint-signature.js';
import { hashRecord } from './hash-chain.js';
import { type AuditEntry, toEntries } from './read-audit.js';

export type VerifyFailure =
  | 'malformed'
  | 'edited'
  | 'chain_broken'
  | 'deleted'
  | 'reordered'
  | 'duplicated'
  | 'truncated'
  | 'bad_signature'
  | 'unsigned'
  | 'after_close';

export interface VerifyProblem {
  readonly reason: VerifyFailure;
  readonly message: string;
  readonly stream?: string | undefined;
  readonly sequence?: number | undefined;
  readonly file?: string | undefined;
  readonly line?: number | undefined;
}

export interface StreamReport {
  readonly stream: string;
  readonly count: number;
  readonly lastSequence: number;
  readonly checkpoints: number;
  /** Checkpoints vouch for sequences 1..coveredTo. */
  readonly coveredTo: number;
  /** The stream ends with its closing checkpoint. */
  readonly closed: boolean;
  readonly signed: boolean;
  readonly files: readonly string[];
}

export interface VerifyReport {
  readonly ok: boolean;
  /** Records checked (gap records, which are not part of any stream, are not counted). */
  readonly count: number;
  readonly streams: readonly StreamReport[];
  readonly firstBad: VerifyProblem | undefined;
  /** The first problem of each stream, and every malformed line. */
  readonly problems: readonly VerifyProblem[];
}

export interface VerifyOptions {
  /** Ed25519 public (or private) key that checks checkpoint signatures. @default undefined */
  readonly publicKey?: KeyInput;
  /** A stream must end with its closing checkpoint; otherwise its tail may have been cut. @default true */
  readonly requireClosed?: boolean;
  /**
   * Every checkpoint must be signed. Without this, a stream whose first checkpoint is signed
   * must still have every later one signed: anyone can recompute a chain, not a signature.
   * @default true when `publicKey` is given
   */
  readonly requireSignatures?: boolean;
}

interface Item {
  readonly entry: AuditEntry;
  readonly record: AuditRecord;
  readonly index: number;
}

function isChained(value: unknown): value is AuditRecord {
  const r = value as AuditRecord | undefined;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.event === 'object' &&
    typeof r.audit === 'object' &&
    typeof r.audit.stream === 'string' &&
    Number.isInteger(r.event.sequence) &&
    typeof r.event.hash === 'string' &&
    typeof r.audit.prev_hash === 'string'
  );
}

/**
 * Checks the hash chain of audit records from one or many files and streams, and tells apart
 * an edited, deleted, reordered or duplicated record, a cut tail, and a bad signature.
 */
export function verifyAudit(
  input: Iterable<AuditRecord | AuditEntry>,
  options: VerifyOptions = {},
): VerifyReport {
  const { requireClosed = true, requireSignatures = options.publicKey !== undefined } = options;
  const publicKey = options.publicKey === undefined ? undefined : asPublicKey(options.publicKey);
  const expectedKeyId = options.publicKey === undefined ? undefined : keyId(publicKey!);
  const problems: Array<VerifyProblem & { index: number }> = [];
  const byStream = new Map<string, Item[]>();
  let count = 0;

  toEntries(input).forEach((entry, index) => {
    const at = { file: entry.file, line: entry.line, index };
    if (entry.error !== undefined) {
      problems.push({ reason: 'malformed', message: entry.error, ...at });
      return;
    }
    const r = entry.record as AuditRecord;
    if (r?.event?.action === 'audit-gap') return;
    if (!isChained(r)) {
      problems.push({
        reason: 'malformed',
        message: 'not a chained audit record (event.sequence, event.hash, audit.stream, audit.prev_hash)',
        ...at,
      });
      return;
    }
    count++;
    const list = byStream.get(r.audit.stream) ?? [];
    list.push({ entry, record: r, index });
    byStream.set(r.audit.stream, list);
  });

  const streams: StreamReport[] = [];
  for (const [stream, items] of byStream) {
    const { report, problem } = verifyStream(stream, ordered(items), publicKey, expectedKeyId, {
      requireClosed,
      requireSignatures,
    });
    streams.push(report);
    if (problem) problems.push(problem);
  }
  problems.sort((a, b) => a.index - b.index);
  const clean = problems.map(({ index: _index, ...p }) => p);
  return { ok: clean.length === 0, count, streams, firstBad: clean[0], problems: clean };
}

/** A stream's records in stream order: each file's lines in order, files by their first sequence. */
function ordered(items: Item[]): Item[] {
  const byFile = new Map<string | undefined, Item[]>();
  for (const item of items) {
    const list = byFile.get(item.entry.file) ?? [];
    list.push(item);
    byFile.set(item.entry.file, list);
  }
  return [...byFile.values()]
    .sort((a, b) => (a[0]!.record.event.sequence ?? 0) - (b[0]!.record.event.sequence ?? 0))
    .flat();
}

function verifyStream(
  stream: string,
  items: Item[],
  publicKey: KeyObject | undefined,
  expectedKeyId: string | undefined,
  rules: { requireClosed: boolean; requireSignatures: boolean },
): { report: StreamReport; problem: (VerifyProblem & { index: number }) | undefined } {
  const present = new Set(items.map((i) => i.record.event.sequence!));
  const hashes = new Map<number, string>();
  let expected = 1;
  let prev = GENESIS_HASH;
  let checkpoints = 0;
  let coveredTo = 0;
  let closed = false;
  let signed = false;
  let problem: (VerifyProblem & { index: number }) | undefined;

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
    report: { stream, count: items.length, lastSequence, checkpoints, coveredTo, closed, signed, files },
    problem,
  };
}
