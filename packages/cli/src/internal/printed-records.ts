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
   * Ends the initial read. From then on a stream keeps at most `MAX_HOLES` holes (sequences
   * never read): past that its oldest hole is taken as read, so that memory stays bounded
   * however long `--follow` runs. Records are still known exactly, not as "past the last one
   * printed": after a rotation, files can be read out of their order, and none may be lost.
   */
  settle(): void;
}

/** Holes kept per stream once settled: a stream written in order has none. */
export const MAX_HOLES = 1024;

export function createPrintedRecords(): PrintedRecords {
  // Exact, as ranges per stream (the files may be given in any order); bounded once settled.
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
      if (!set.add(sequence)) return false;
      if (settled) set.keepHoles(MAX_HOLES);
      return true;
    },
    settle() {
      settled = true;
      for (const set of seen.values()) set.keepHoles(MAX_HOLES);
    },
  };
}
