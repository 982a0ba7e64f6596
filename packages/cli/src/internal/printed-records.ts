import { SequenceSet } from './sequence-set.js';

/**
 * Remembers which audit records were printed, by `audit.stream` and `event.sequence`, so that
 * a record read twice (the same file given twice, or a rotated file met again under its new
 * name) is printed once.
 */
export interface PrintedRecords {
  /**
   * Whether the record at this place is new, marking it printed. A record without a stream is
   * always new; one without a sequence (a gap record) is known by its `event.id`, if it has one.
   */
  first(stream: string | undefined, sequence: number | undefined, id: string | undefined): boolean;
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
    first(stream, sequence, id) {
      if (stream === undefined) return true;
      if (sequence === undefined) {
        if (id === undefined) return true;
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
