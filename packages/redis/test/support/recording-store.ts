// A StateStore that passes every call to a RedisStateStore and writes down what happened, so a
// test can count an evaluation's store calls, time them, and see which gets the near-cache
// answered.
import type { StateRecord, StateStore } from '@flagstate/core';
import type { RedisStateStore } from '@flagstate/redis';

export interface StoreCall {
  readonly op: 'get' | 'compareAndSet';
  readonly subject: string;
  /** `performance.now()` when the call was made and when it settled. */
  readonly started: number;
  ended: number;
  /** A get the store answered synchronously (from its near-cache). */
  readonly sync: boolean;
  /** What a get returned, or the record a compare-and-set tried to write. */
  record: StateRecord | undefined;
  /** A compare-and-set's answer. */
  written?: boolean;
  error?: unknown;
}

export class RecordingStore implements StateStore {
  readonly calls: StoreCall[] = [];
  /** Runs before each compare-and-set is passed on: lets a test make another writer win. */
  beforeCompareAndSet: ((subject: string, expectedVersion: number) => Promise<void>) | undefined;
  readonly #inner: RedisStateStore;

  constructor(inner: RedisStateStore) {
    this.#inner = inner;
  }

  get(machine: string, subject: string): StateRecord | undefined | Promise<StateRecord | undefined> {
    const started = performance.now();
    const answer = this.#inner.get(machine, subject);
    if (!(answer instanceof Promise)) {
      this.calls.push({ op: 'get', subject, started, ended: started, sync: true, record: answer });
      return answer;
    }
    const call: StoreCall = {
      op: 'get',
      subject,
      started,
      ended: Number.NaN,
      sync: false,
      record: undefined,
    };
    this.calls.push(call);
    return answer.then(
      (record) => {
        call.ended = performance.now();
        call.record = record;
        return record;
      },
      (error: unknown) => {
        call.ended = performance.now();
        call.error = error;
        throw error;
      },
    );
  }

  async compareAndSet(
    machine: string,
    subject: string,
    expected: number,
    record: StateRecord,
  ): Promise<boolean> {
    const started = performance.now();
    const call: StoreCall = { op: 'compareAndSet', subject, started, ended: Number.NaN, sync: false, record };
    this.calls.push(call);
    try {
      await this.beforeCompareAndSet?.(subject, expected);
      call.written = await this.#inner.compareAndSet(machine, subject, expected, record);
      return call.written;
    } catch (error) {
      call.error = error;
      throw error;
    } finally {
      call.ended = performance.now();
    }
  }

  size(): Promise<number> {
    return this.#inner.size();
  }

  entries(): AsyncGenerator<{ machine: string; subject: string; record: StateRecord }> {
    return this.#inner.entries();
  }

  /** The calls made since `from` (an index into `calls`). */
  since(from: number): StoreCall[] {
    return this.calls.slice(from);
  }
}
