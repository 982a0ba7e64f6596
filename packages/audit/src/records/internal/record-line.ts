import { canonicalJson } from '../../internal/canonical-json.js';
import type { AuditRecord } from '../audit-record.js';

/**
 * The record's line: its canonical JSON with `event.hash` put in its sorted place, right
 * before `event.id`, so that the record is serialized once, not twice.
 */
export function withHash(canonical: string, record: AuditRecord): string {
  const marker = `"id":${JSON.stringify(record.event.id)}`;
  const at = canonical.indexOf(`,${marker}`);
  if (at < 0) return `${canonicalJson(record)}\n`;
  return `${canonical.slice(0, at)},"hash":"${record.event.hash}"${canonical.slice(at)}\n`;
}
