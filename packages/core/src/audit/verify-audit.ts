import { type Item, type PlacedProblem, verifyStream } from '../internal/verify-stream.js';
import type { AuditRecord } from './audit-record.js';
import { asPublicKey, keyId } from './checkpoint-signature.js';
import { type AuditEntry, toEntries } from './read-audit.js';
import type { StreamReport, VerifyOptions, VerifyReport } from './verify-report.js';

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
  const {
    requireClosed = true,
    requireSignatures = options.publicKey !== undefined,
    requireStart = true,
  } = options;
  const publicKey = options.publicKey === undefined ? undefined : asPublicKey(options.publicKey);
  const expectedKeyId = options.publicKey === undefined ? undefined : keyId(publicKey!);
  const problems: PlacedProblem[] = [];
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
      requireStart,
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
