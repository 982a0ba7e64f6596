import { LRUCache } from 'lru-cache';
import type { Clock } from './clock.js';
import { RecordSlab } from './internal/record-slab.js';
import type { MutableStateRecord, StateRecord } from './state-record.js';
import type { StateEntry, StateStore } from './state-store.js';

/**
 * lru-cache's `get` allocates an options object when given none, and writes `status` into the
 * one it is given: one shared object keeps the lookup allocation-free however V8 inlines it.
 */
const GET_OPTIONS: LRUCache.GetOptions<string, number, unknown> = {};

export interface LruStateStoreOptions {
  /**
   * Subjects kept per machine (each machine has its own LRU, so that a lookup needs no
   * composite key): the least recently observed is forgotten first, and is observed as new
   * (`state-init`) if it comes back. Memory is bounded by this times the number of machines.
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

/** One machine's subjects: an LRU from subject to slot, and the slots' records. */
interface MachineTable {
  readonly cache: LRUCache<string, number>;
  readonly slab: RecordSlab;
}

/**
 * The embedded store: bounded, in process, synchronous. Each machine has its own `lru-cache`
 * keyed by subject, so that lookups need no composite key. The cache maps a subject to a slot
 * of a packed table rather than to a record object: about a third of the memory per subject,
 * and reads that build nothing (`readInto`).
 */
export class LruStateStore implements StateStore {
  readonly #tables = new Map<string, MachineTable>();
  // Most services evaluate one machine far more than others: remember the last one looked up.
  #lastMachine = '';
  #lastTable: MachineTable | undefined;
  readonly #maxSubjects: number;
  readonly #ttlMs: number | undefined;
  readonly #clock: Clock | undefined;

  constructor(options: LruStateStoreOptions = {}) {
    const { maxSubjects = 100_000, ttlMs, clock } = options;
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
      if (this.#ttlMs !== undefined) cache.purgeStale();
      n += cache.size;
    }
    return n;
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
    const dispose = (slot: number) => slab.free(slot);
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
