import { CountedRanges } from './counted-ranges.js';
import { IntervalSet } from './interval-set.js';

/**
 * The places (sequences) of one stream that replay read, and how many times each: a place
 * read again holds the same record read twice (a file given twice), unless another writer
 * used the stream's id. Which of the two only the records' ids tell, and they are not kept:
 * `AuditReplayer` checks them in a later pass, for which `firstInPass` tells each place's first
 * read. Memory grows with the runs of places read, not with records.
 */
export class PlaceReads {
  readonly #seen = new IntervalSet();
  #extra: CountedRanges | undefined;
  #inPass: IntervalSet | undefined;

  /** Marks `sequence` read; false when it was read before. */
  read(sequence: number): boolean {
    if (this.#seen.add(sequence)) return true;
    this.#extra ??= new CountedRanges();
    this.#extra.increment(sequence);
    return false;
  }

  /** Some place was read more than once. */
  get repeated(): boolean {
    return this.#extra !== undefined;
  }

  /** How many times `sequence` was read. */
  times(sequence: number): number {
    return 1 + (this.#extra?.get(sequence) ?? 0);
  }

  /** In a later pass over the same input: whether this is the place's first read in it. */
  firstInPass(sequence: number): boolean {
    this.#inPass ??= new IntervalSet();
    return this.#inPass.add(sequence);
  }
}
