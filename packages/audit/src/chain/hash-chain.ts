import { canonicalJson } from '../internal/canonical-json.js';
import { sha256Hex } from '../internal/sha256-hex.js';
import type { AuditRecord } from '../records/audit-record.js';

/**
 * Hex SHA-256 over `prevHash + "\n" + canonicalJson`: one link of the chain. One concatenation
 * and a one-shot hash cost about half of a Hash object fed three times (measured on 1.2 KB).
 */
export function chainHash(prevHash: string, canonicalJson: string): string {
  return sha256Hex(`${prevHash}\n${canonicalJson}`);
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
