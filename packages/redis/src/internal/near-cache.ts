import type { StateRecord } from '@flagstate/core';

interface Entry {
  readonly record: StateRecord;
  /** `performance.now()` after which the entry no longer answers. */
  readonly until: number;
}

/**
 * Records this process last read from or wrote to Redis, each answering for `ttlMs` after
 * that round trip (answering does not extend it). Bounded per machine; the entry fetched
 * longest ago goes first. Only records are kept: an absent subject always asks Redis.
 */
export class NearCache {
  readonly #machines = new Map<string, Map<string, Entry>>();
  readonly #ttlMs: number;
  readonly #maxSubjects: number;
  #lastMachine = '';
  #lastEntries: Map<string, Entry> | undefined;

  constructor(ttlMs: number, maxSubjects: number) {
    this.#ttlMs = ttlMs;
    this.#maxSubjects = maxSubjects;
  }

  get(machine: string, subject: string): StateRecord | undefined {
    const entry = this.#entries(machine)?.get(subject);
    if (entry === undefined || performance.now() > entry.until) return undefined;
    return entry.record;
  }

  /** Remembers what Redis holds now; `undefined` (no record) forgets the subject. */
  set(machine: string, subject: string, record: StateRecord | undefined): void {
    if (record === undefined) {
      this.delete(machine, subject);
      return;
    }
    let entries = this.#entries(machine);
    if (entries === undefined) {
      entries = new Map();
      this.#machines.set(machine, entries);
    }
    // Re-inserting moves the subject to the end of the map's order: oldest fetch first.
    entries.delete(subject);
    if (entries.size >= this.#maxSubjects) entries.delete(entries.keys().next().value!);
    entries.set(subject, { record, until: performance.now() + this.#ttlMs });
  }

  delete(machine: string, subject: string): void {
    this.#entries(machine)?.delete(subject);
  }

  get size(): number {
    let n = 0;
    for (const entries of this.#machines.values()) n += entries.size;
    return n;
  }

  clear(): void {
    this.#machines.clear();
    this.#lastMachine = '';
    this.#lastEntries = undefined;
  }

  #entries(machine: string): Map<string, Entry> | undefined {
    if (machine === this.#lastMachine) return this.#lastEntries;
    const entries = this.#machines.get(machine);
    if (entries !== undefined) {
      this.#lastMachine = machine;
      this.#lastEntries = entries;
    }
    return entries;
  }
}
