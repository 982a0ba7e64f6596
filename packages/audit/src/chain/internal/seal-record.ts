import { canonicalJson } from '../../internal/canonical-json.js';
import type { AuditRecord } from '../../records/audit-record.js';
import { type LogIdentity, logRecord } from '../../records/internal/log-record.js';
import { withHash } from '../../records/internal/record-line.js';
import type { ResumePoint } from '../../sinks/resume-point.js';
import { checkpointPayload, type createCheckpointSigner } from '../checkpoint-signature.js';
import { chainHash } from '../hash-chain.js';

/**
 * The checkpoint that closes a stream which ended in a crash, written by the next process in
 * that stream's own chain (its next sequence, linked to its last good record), so that the
 * crashed stream verifies as closed and names the record it ends at. Returns its line and hash.
 */
export function sealRecord(
  point: ResumePoint,
  sealedBy: string,
  identity: LogIdentity,
  signer: ReturnType<typeof createCheckpointSigner> | undefined,
): { line: string; sequence: number; hash: string } {
  const sequence = point.sequence + 1;
  const signature = signer?.sign(checkpointPayload(point.stream, sequence, point.sequence, point.hash, true));
  const torn = point.tornBytes > 0 ? `, torn last line of ${point.tornBytes} bytes cut away` : '';
  const seal = logRecord(
    identity,
    'audit-checkpoint',
    `audit stream ${point.stream} sealed after a crash by stream ${sealedBy}: last good record ${point.sequence} (${point.hash.slice(0, 12)})${torn}`,
  ) as AuditRecord;
  seal.event.sequence = sequence;
  seal.audit = {
    stream: point.stream,
    prev_hash: point.hash,
    checkpoint: {
      count: point.sequence,
      head: point.hash,
      final: true,
      ...(signature === undefined ? {} : { signature, key_id: signer!.keyId }),
      sealed: {
        by: sealedBy,
        torn_bytes: point.tornBytes,
        ...(point.file === undefined ? {} : { file: point.file }),
      },
    },
  };
  const canonical = canonicalJson(seal) ?? '';
  const hash = chainHash(point.hash, canonical);
  seal.event.hash = hash;
  return { line: withHash(canonical, seal), sequence, hash };
}
