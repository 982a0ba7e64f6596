import type { AuditRecord } from '@flagstate/audit';

/** The in-process consumer: counts records by `event.action` until the stream ends. */
export async function countByAction(records: AsyncIterable<AuditRecord>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const record of records) {
    const action = record.event.action ?? 'unknown';
    counts.set(action, (counts.get(action) ?? 0) + 1);
  }
  return counts;
}
