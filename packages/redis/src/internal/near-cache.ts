import type { StateRecord } from '@flagstate/core';

interface Entry {
  /** `undefined`: a round trip is in flight (a marker), and nothing answers yet. */
  readonly record: StateRecord | undefined;
  /** `performance.now()` after which the entry no longer answers. */
  readonly until: number;
  /** Which round trip put the entry here: its reply stores a record only over its own marker. */
  readonly ticket: number;
}

/**
 * Records this process last read from or wrote to Redis. Bounded per machine; the entry
 * fetched longest ago goes first. Only records are kept: an absent subject always asks Redis.
 *
 * A round trip first leaves a marker (`begin`), and its reply stores the record only if that
 * marker is still there (`set`): an invalidation that arrives on the other connection while the
 * reply is on its way removes the marker, so a reply older than the invalidation is not kept.
 * Entries answer only while `trustedUntil` (`performance.now()` time) has not passed: with
 * tracking, that is while invalidations are known to be arriving.
 */
export class NearCache {
  /** `performance.now()` until which entries may answer; the tracker moves it. */
  trustedUntil: number;
  readonly #machines = new Map<string, Map<string, Entry>>();
  readonly #entryMs: number;
  readonly #maxSubjects: number;
  #tickets = 0;
  #lastMachine = '';
  #lastEntries: Map<string, Entry> | undefined;

  /** `entryMs`: how long an entry answers after its round trip (Infinity: until invalidated). */
  constructor(entryMs: number, maxSubjects: number, trusted: boolean) {
    this.#entryMs = entryMs;
    this.#maxSubjects = maxSubjects;
    this.trustedUntil = trusted ? Number.POSITIVE_INFINITY : 0;
  }

  get(machine: string, subject: string): StateRecord | undefined {
    const entry = this.#entries(machine)?.get(subject);
    if (entry === undefined || entry.record === undefined) return undefined;
    const now = performance.now();
    if (now > entry.until || now > this.trustedUntil) return undefined;
    return entry.record;
  }

  /** A round trip for the subject starts: its ticket, for `set` when the reply comes. */
  begin(machine: string, subject: string): number {
    const ticket = ++this.#tickets;
    this.#put(machine, subject, { record: undefined, until: 0, ticket });
    return ticket;
  }

  /**
   * What Redis held when the round trip `ticket` ran; kept only if nothing invalidated the
   * subject (and no later round trip began) since. `undefined` (no record) forgets it.
   */
  set(machine: string, subject: string, ticket: number, record: StateRecord | undefined): void {
    const entries = this.#entries(machine);
    if (entries?.get(subject)?.ticket !== ticket) return;
    if (record === undefined) {
      entries.delete(subject);
      return;
    }
    this.#put(machine, subject, { record, until: performance.now() + this.#entryMs, ticket });
  }

  delete(machine: string, subject: string): void {
    this.#entries(machine)?.delete(subject);
  }

  get size(): number {
    let n = 0;
    for (const entries of this.#machines.values()) {
      for (const entry of entries.values()) if (entry.record !== undefined) n++;
    }
    return n;
  }

  /** Forgets everything, markers included: no reply in flight may store what it read. */
  clear(): void {
    this.#machines.clear();
    this.#lastMachine = '';
    this.#lastEntries = undefined;
  }

  #put(machine: string, subject: string, entry: Entry): void {
    let entries = this.#entries(machine);
    if (entries === undefined) {
      entries = new Map();
      this.#machines.set(machine, entries);
    }
    // Re-inserting moves the subject to the end of the map's order: oldest fetch first.
    entries.delete(subject);
    if (entries.size >= this.#maxSubjects) entries.delete(entries.keys().next().value!);
    entries.set(subject, entry);
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
