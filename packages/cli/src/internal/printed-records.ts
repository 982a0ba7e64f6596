import type { AuditRecord } from '@flagstate/core';
import { SequenceSet } from './sequence-set.js';

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
  // Until settled, exact (the files may be given in any order), as ranges per stream.
  const seen = new Map<string, SequenceSet>();
  let settled = false;
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
      let set = seen.get(stream);
      if (set === undefined) {
        set = new SequenceSet();
        seen.set(stream, set);
      }
      if (settled && sequence <= set.max) return false;
      return set.add(sequence);
    },
    settle() {
      settled = true;
    },
  };
}
