import { LRUCache } from 'lru-cache';
import type { Clock } from './clock.js';
import type { StateRecord } from './state-record.js';
import type { StateEntry, StateStore } from './state-store.js';

/**
 * lru-cache's `get` allocates an options object when given none, and writes `status` into the
 * one it is given: one shared object keeps the lookup allocation-free however V8 inlines it.
 */
const GET_OPTIONS: LRUCache.GetOptions<string, StateRecord, unknown> = {};

export interface LruStateStoreOptions {
  /**
   * Subjects kept per machine; the least recently observed is forgotten first, and is
   * observed as new (`state-init`) if it comes back.
   * @default 100_000
   */
  readonly maxSubjects?: number;
  /**
   * Forget a subject not observed for this many milliseconds.
   * @default undefined (no expiry)
   */
  readonly ttlMs?: number;
  /**
   * Time source for the TTL; inject one in tests to expire subjects without sleeping.
   * @default performance.now
   */
  readonly clock?: Clock;
}

/**
 * The embedded store: bounded, in process, synchronous. Each machine has its own
 * `lru-cache` keyed by subject, so that lookups need no composite key.
 */
export class LruStateStore implements StateStore {
  readonly #caches = new Map<string, LRUCache<string, StateRecord>>();
  // Most services evaluate one machine far more than others: remember the last one looked up.
  #lastMachine = '';
  #lastCache: LRUCache<string, StateRecord> | undefined;
  readonly #options: LRUCache.Options<string, StateRecord, unknown>;

  constructor(options: LruStateStoreOptions = {}) {
    const { maxSubjects = 100_000, ttlMs, clock } = options;
    if (!Number.isInteger(maxSubjects) || maxSubjects < 1) {
      throw new RangeError(`maxSubjects must be a positive integer, got ${maxSubjects}`);
    }
    if (ttlMs !== undefined && !(ttlMs > 0)) throw new RangeError(`ttlMs must be positive, got ${ttlMs}`);
    this.#options =
      ttlMs === undefined
        ? { max: maxSubjects }
        : clock === undefined
          ? { max: maxSubjects, ttl: ttlMs, updateAgeOnGet: true }
          : { max: maxSubjects, ttl: ttlMs, updateAgeOnGet: true, perf: clock, ttlResolution: 0 };
  }

  get(machine: string, subject: string): StateRecord | undefined {
    return this.#cache(machine)?.get(subject, GET_OPTIONS);
  }

  #cache(machine: string): LRUCache<string, StateRecord> | undefined {
    if (machine === this.#lastMachine) return this.#lastCache;
    const cache = this.#caches.get(machine);
    if (cache !== undefined) {
      this.#lastMachine = machine;
      this.#lastCache = cache;
    }
    return cache;
  }

  compareAndSet(machine: string, subject: string, expectedVersion: number, record: StateRecord): boolean {
    let cache = this.#cache(machine);
    if (cache === undefined) {
      cache = new LRUCache(this.#options);
      this.#caches.set(machine, cache);
    }
    const current = cache.get(subject, GET_OPTIONS);
    if ((current === undefined ? 0 : current.version) !== expectedVersion) return false;
    cache.set(subject, record);
    return true;
  }

  size(): number {
    let n = 0;
    for (const cache of this.#caches.values()) n += cache.size;
    return n;
  }

  *entries(): IterableIterator<StateEntry> {
    for (const [machine, cache] of this.#caches) {
      for (const [subject, record] of cache.entries()) yield { machine, subject, record };
    }
  }

  /** Forgets every subject. */
  clear(): void {
    this.#caches.clear();
    this.#lastMachine = '';
    this.#lastCache = undefined;
  }
}
