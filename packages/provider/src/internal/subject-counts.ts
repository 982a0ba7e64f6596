import type { StateStore } from '@flagstate/core';

type Counts = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** Subjects per state as `/statez` reports them, and how they were counted. */
export interface CountedSubjects {
  readonly counts: Counts;
  readonly subjects: number;
  /**
   * `live`: the store's own counts, kept as writes happen. `walk`: one walk of `entries()`,
   * reused until it is `maxAgeMs` old. `size`: the store keeps neither, only `size()`.
   */
  readonly counted: 'live' | 'walk' | 'size';
  /** When the counts were taken (epoch ms). */
  readonly at: number;
  /** Why the last walk after these counts failed, if it did. */
  readonly refreshError?: string;
}

const NONE: Counts = new Map();

/**
 * The store's counts for diagnostics, at a cost that does not grow with subjects per request:
 * a store that keeps counts (`LruStateStore`) answers directly; any other store (a SCAN with
 * `RedisStateStore`) is walked at most once per `maxAgeMs`, however many requests come, and a
 * request meanwhile gets the last walk while the next one runs.
 */
export class SubjectCounts {
  readonly #store: StateStore;
  readonly #maxAgeMs: number;
  #last: CountedSubjects | undefined;
  #walking: Promise<CountedSubjects> | undefined;

  constructor(store: StateStore, maxAgeMs: number) {
    this.#store = store;
    this.#maxAgeMs = maxAgeMs;
  }

  async read(): Promise<CountedSubjects> {
    const store = this.#store;
    if (store.counts !== undefined) {
      const counts = await store.counts();
      let subjects = 0;
      for (const byState of counts.values()) for (const n of byState.values()) subjects += n;
      return { counts, subjects, counted: 'live', at: Date.now() };
    }
    if (store.entries === undefined) {
      return { counts: NONE, subjects: await store.size(), counted: 'size', at: Date.now() };
    }
    const last = this.#last;
    if (last !== undefined && Date.now() - last.at < this.#maxAgeMs) return last;
    this.#walking ??= this.#walk().finally(() => {
      this.#walking = undefined;
    });
    // The first request waits for the walk (and gets its error); later ones keep the last
    // counts while the next walk runs, and see why it failed if it does.
    if (last === undefined) return this.#walking;
    this.#walking.catch((error: unknown) => {
      if (this.#last === last) this.#last = { ...last, refreshError: String(error) };
    });
    return last;
  }

  async #walk(): Promise<CountedSubjects> {
    const counts = new Map<string, Map<string, number>>();
    let subjects = 0;
    for await (const { machine, record } of this.#store.entries!()) {
      let byState = counts.get(machine);
      if (byState === undefined) {
        byState = new Map();
        counts.set(machine, byState);
      }
      byState.set(record.state, (byState.get(record.state) ?? 0) + 1);
      subjects++;
    }
    this.#last = { counts, subjects, counted: 'walk', at: Date.now() };
    return this.#last;
  }
}
