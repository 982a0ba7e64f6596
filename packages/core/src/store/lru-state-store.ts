import { LRUCache } from 'lru-cache';
import type { Clock } from '../engine/clock.js';
import { RareWarning } from './internal/rare-warning.js';
import { RecordSlab } from './internal/record-slab.js';
import type { MutableStateRecord, StateRecord } from './state-record.js';
import type { StateEntry, StateStore, StateStoreStats } from './state-store.js';
import { StoreFullError } from './store-full-error.js';

/**
 * lru-cache's `get` allocates an options object when given none, and writes `status` into the
 * one it is given: one shared object keeps the lookup allocation-free however V8 inlines it.
 */
const GET_OPTIONS: LRUCache.GetOptions<string, number, unknown> = {};

export interface LruStateStoreOptions {
  /**
   * Subjects kept per machine (each machine has its own table, so that a lookup needs no
   * composite key). Memory is bounded by this times the number of machines (~115 B each
   * when evicting or with a TTL, ~90 B when refusing without one).
   * @default 100_000
   */
  readonly maxSubjects?: number;
  /**
   * What a full machine does with a new subject. `evict`: forget the least recently observed
   * one, which is observed as new (`state-init`) if it comes back; a cache. `refuse`: keep
   * every known subject and refuse the new one (`compareAndSet` throws `StoreFullError`), so
   * that no known subject ever turns into a new one; what enforcement needs. Both are counted
   * (`stats()`, the hook's `flagstate.store.evictions` metric) and warned about, rarely.
   * @default "evict"
   */
  readonly whenFull?: 'evict' | 'refuse';
  /**
   * Forget a subject not observed for this many milliseconds.
   * @default undefined (no expiry)
   */
  readonly ttlMs?: number;
  /**
   * The same `Clock` (epoch milliseconds) every flagstate option named `clock` takes, e.g.
   * the one the hook and the provider are given, so that one fake clock drives bake times and
   * the TTL alike in tests. The TTL uses only differences of it.
   * @default a monotonic clock (performance.now), so that a step of the wall clock expires nothing
   */
  readonly clock?: Clock;
}

/**
 * One machine's subjects: subject → slot, and the slots' records. An LRU when the store may
 * forget (it evicts, or has a TTL); a refusing store without TTL forgets no one, so recency is
 * never read and a plain `Map` saves the LRU's bookkeeping on every read.
 */
interface MachineTable {
  readonly cache: LRUCache<string, number> | Map<string, number>;
  readonly slab: RecordSlab;
}

/**
 * The embedded store: bounded, in process, synchronous. Each machine has its own `lru-cache`
 * keyed by subject, so that lookups need no composite key. The cache maps a subject to a slot
 * of a packed table rather than to a record object: about a third of the memory per subject,
 * and reads that build nothing (`readInto`). With `whenFull: 'refuse'` and no TTL nothing is
 * ever forgotten, so that recency is never needed: a plain `Map` takes the LRU's place.
 */
export class LruStateStore implements StateStore {
  readonly #tables = new Map<string, MachineTable>();
  // Most services evaluate one machine far more than others: remember the last one looked up.
  #lastMachine = '';
  #lastTable: MachineTable | undefined;
  readonly #maxSubjects: number;
  readonly #ttlMs: number | undefined;
  readonly #clock: Clock | undefined;
  readonly #refuse: boolean;
  readonly #evicted = new RareWarning('FLAGSTATE_STORE_EVICTION');
  readonly #refused = new RareWarning('FLAGSTATE_STORE_FULL');

  constructor(options: LruStateStoreOptions = {}) {
    const { maxSubjects = 100_000, ttlMs, clock, whenFull = 'evict' } = options;
    if (whenFull !== 'evict' && whenFull !== 'refuse') {
      throw new TypeError(`whenFull must be "evict" or "refuse", got ${JSON.stringify(whenFull)}`);
    }
    this.#refuse = whenFull === 'refuse';
    if (!Number.isInteger(maxSubjects) || maxSubjects < 1) {
      throw new RangeError(`maxSubjects must be a positive integer, got ${maxSubjects}`);
    }
    if (ttlMs !== undefined && !(ttlMs > 0)) throw new RangeError(`ttlMs must be positive, got ${ttlMs}`);
    this.#maxSubjects = maxSubjects;
    this.#ttlMs = ttlMs;
    this.#clock = clock;
  }

  get(machine: string, subject: string): StateRecord | undefined {
    const table = this.#table(machine);
    const slot = table?.cache.get(subject, GET_OPTIONS);
    return slot === undefined ? undefined : table!.slab.record(slot);
  }

  readInto(machine: string, subject: string, into: MutableStateRecord): boolean {
    const table = this.#table(machine);
    if (table === undefined) return false;
    const slot = table.cache.get(subject, GET_OPTIONS);
    if (slot === undefined) return false;
    table.slab.read(slot, into);
    return true;
  }

  compareAndSet(machine: string, subject: string, expectedVersion: number, record: StateRecord): boolean {
    const table = this.#table(machine) ?? this.#create(machine);
    // A read first: it also refreshes the subject's recency and TTL.
    const slot = table.cache.get(subject, GET_OPTIONS);
    if ((slot === undefined ? 0 : table.slab.version(slot)) !== expectedVersion) return false;
    if (slot !== undefined) {
      table.slab.write(slot, record);
      return true;
    }
    if (this.#refuse && table.cache.size >= this.#maxSubjects) {
      const error = new StoreFullError(machine, this.#maxSubjects);
      this.#refused.hit((n) => `${error.message} (${n} refused so far)`);
      throw error;
    }
    const fresh = table.slab.alloc();
    try {
      table.slab.write(fresh, record);
    } catch (error) {
      table.slab.free(fresh); // a record the table cannot hold takes no room
      throw error;
    }
    table.cache.set(subject, fresh);
    return true;
  }

  /** Subjects tracked now: expired ones are purged first, so that gauges never count them. */
  size(): number {
    let n = 0;
    for (const { cache } of this.#tables.values()) {
      // Only a TTL makes entries stale (and only an LRU has one): purging walks every entry.
      if (this.#ttlMs !== undefined && cache instanceof LRUCache) cache.purgeStale();
      n += cache.size;
    }
    return n;
  }

  /** What a full machine does with a new subject. */
  get whenFull(): 'evict' | 'refuse' {
    return this.#refuse ? 'refuse' : 'evict';
  }

  /** Subjects forgotten to make room (`evict`) and new subjects refused (`refuse`), ever. */
  stats(): StateStoreStats {
    return { evicted: this.#evicted.count, refused: this.#refused.count };
  }

  /**
   * Subjects per state of each machine, counted as records are written and forgotten: costs
   * O(machines × states), never a walk of the subjects. With `ttlMs`, a subject past its TTL
   * is counted until the store purges it (`size()` does, and so does a read of it).
   */
  counts(): Map<string, Map<string, number>> {
    const out = new Map<string, Map<string, number>>();
    for (const [machine, { slab }] of this.#tables) out.set(machine, slab.counts());
    return out;
  }

  *entries(): IterableIterator<StateEntry> {
    for (const [machine, { cache, slab }] of this.#tables) {
      for (const [subject, slot] of cache.entries()) yield { machine, subject, record: slab.record(slot) };
    }
  }

  /** Forgets every subject. */
  clear(): void {
    this.#tables.clear();
    this.#lastMachine = '';
    this.#lastTable = undefined;
  }

  #table(machine: string): MachineTable | undefined {
    if (machine === this.#lastMachine) return this.#lastTable;
    const table = this.#tables.get(machine);
    if (table !== undefined) {
      this.#lastMachine = machine;
      this.#lastTable = table;
    }
    return table;
  }

  #create(machine: string): MachineTable {
    // One spare slot: a new subject's slot is taken before the cache evicts the oldest.
    const slab = new RecordSlab(this.#maxSubjects + 1);
    const max = this.#maxSubjects;
    const ttl = this.#ttlMs;
    if (this.#refuse && ttl === undefined) {
      const table: MachineTable = { cache: new Map(), slab };
      this.#tables.set(machine, table);
      return table;
    }
    const dispose = (slot: number, subject: string, reason: LRUCache.DisposeReason) => {
      slab.free(slot);
      if (reason === 'evict') {
        this.#evicted.hit(
          (n) =>
            `LruStateStore forgot subject "${subject.slice(0, 64)}" of machine "${machine}" to make room (maxSubjects ${max}; ${n} evicted so far): it will be observed as new if it comes back. Raise maxSubjects, use whenFull: "refuse", or share a RedisStateStore`,
        );
      }
    };
    const options: LRUCache.Options<string, number, unknown> =
      ttl === undefined
        ? { max, dispose }
        : this.#clock === undefined
          ? { max, dispose, ttl, updateAgeOnGet: true }
          : { max, dispose, ttl, updateAgeOnGet: true, perf: this.#clock, ttlResolution: 0 };
    const table: MachineTable = { cache: new LRUCache(options), slab };
    this.#tables.set(machine, table);
    return table;
  }
}
