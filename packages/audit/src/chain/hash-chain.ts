import { createHash } from 'node:crypto';
import { canonicalJson } from '../internal/canonical-json.js';
import type { AuditRecord } from '../records/audit-record.js';

/** Hex SHA-256 over `prevHash + "\n" + canonicalJson`: one link of the chain. */
export function chainHash(prevHash: string, canonicalJson: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson).digest('hex');
}

/** RFC 8785 (JCS) canonical JSON of a record without its `event.hash`. */
export function canonicalRecord(record: AuditRecord): string {
  if (record.event.hash === undefined) return canonicalJson(record) ?? '';
  const { hash: _omit, ...event } = record.event;
  return canonicalJson({ ...record, event }) ?? '';
}

/** What a record's `event.hash` must be, given the hash before it. */
export function hashRecord(prevHash: string, record: AuditRecord): string {
  return chainHash(prevHash, canonicalRecord(record));
}
