import type { AuditRecord } from '@flagstate/core';

/**
 * Remembers which audit records were printed, by `audit.stream` and `event.sequence`, so that
 * a record read twice (the same file given twice, or a rotated file met again under its new
 * name) is printed once.
 */
export interface PrintedRecords {
  /** Whether `record` is new, marking it printed. A record without a stream or sequence is always new. */
  first(record: AuditRecord): boolean;
  /**
   * Ends the initial read. From then on only records past the last printed of their stream are
   * new, because a writer only appends: memory stays bounded however long `--follow` runs.
   */
  settle(): void;
}

export function createPrintedRecords(): PrintedRecords {
  // Until settled, exact: the files may be given in any order.
  let seen: Set<string> | undefined = new Set();
  const last = new Map<string, number>();
  // Gap records have no sequence; they are rare, so their ids are kept.
  const gaps = new Set<string>();
  return {
    first(record) {
      const stream = record.audit?.stream;
      const sequence = record.event?.sequence;
      if (typeof stream !== 'string') return true;
      if (typeof sequence !== 'number') {
        const id = record.event?.id;
        if (typeof id !== 'string') return true;
        if (gaps.has(id)) return false;
        gaps.add(id);
        return true;
      }
      const high = last.get(stream) ?? 0;
      if (seen) {
        const key = `${stream}\u0000${sequence}`;
        if (seen.has(key)) return false;
        seen.add(key);
      } else if (sequence <= high) {
        return false;
      }
      last.set(stream, Math.max(high, sequence));
      return true;
    },
    settle() {
      seen = undefined;
    },
  };
}
