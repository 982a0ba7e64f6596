import type { MutableStateRecord, StateRecord } from './state-record.js';

/** A value, or a promise of it: in-memory stores answer synchronously and create no promises. */
export type MaybePromise<T> = T | Promise<T>;

export interface StateEntry {
  readonly machine: string;
  readonly subject: string;
  readonly record: StateRecord;
}

/**
 * Where state records live. Keys are (machine, subject) passed as two strings, so that the
 * steady path never builds a composite key; a store that needs one string uses `stateKey`.
 */
export interface StateStore {
  get(machine: string, subject: string): MaybePromise<StateRecord | undefined>;
  /**
   * Optional, for synchronous stores that keep records packed: fills `into` with the record
   * and returns whether there was one, building nothing. The engine's steady path uses it.
   */
  readInto?(machine: string, subject: string, into: MutableStateRecord): boolean;
  /**
   * Writes `record` only if the stored record's version is `expectedVersion` (0: no record).
   * Returns whether it wrote. This is the only write the engine makes.
   */
  compareAndSet(
    machine: string,
    subject: string,
    expectedVersion: number,
    record: StateRecord,
  ): MaybePromise<boolean>;
  /** Number of tracked (machine, subject) pairs. */
  size(): MaybePromise<number>;
  /** Counts of subjects a bounded store forgot or refused, for metrics. */
  stats?(): StateStoreStats;
  /**
   * Optional: subjects per state of each machine (machine → state → count), kept as writes
   * happen, so that diagnostics need not walk `entries()`.
   */
  counts?(): MaybePromise<ReadonlyMap<string, ReadonlyMap<string, number>>>;
  /** Every record, for snapshots and diagnostics. */
  entries?(): Iterable<StateEntry> | AsyncIterable<StateEntry>;
  close?(): MaybePromise<void>;
}

export interface StateStoreStats {
  /** Known subjects forgotten to make room for new ones. */
  readonly evicted: number;
  /** New subjects refused because the store was full. */
  readonly refused: number;
}

/**
 * A subject's record through `readInto` when the store has it (filling `into`, building
 * nothing), else through `get`. A record read into `into` is overwritten by the next read:
 * copy it to keep it.
 */
export function readStateRecord(
  store: StateStore,
  machine: string,
  subject: string,
  into: MutableStateRecord,
): MaybePromise<StateRecord | undefined> {
  if (store.readInto === undefined) return store.get(machine, subject);
  return store.readInto(machine, subject, into) ? into : undefined;
}
