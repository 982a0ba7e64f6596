import type { StateRecord, StateStore } from '@flagstate/core';

/**
 * Any store made to answer on a later turn, as a networked store does, so that two evaluations
 * of one subject interleave between `get` and `compareAndSet` and one of them loses the race.
 */
export function racingStore(inner: StateStore): StateStore {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    async get(machine, subject) {
      await turn();
      return inner.get(machine, subject);
    },
    async compareAndSet(machine, subject, expected, record: StateRecord) {
      await turn();
      return inner.compareAndSet(machine, subject, expected, record);
    },
    size: () => inner.size(),
    ...(inner.entries ? { entries: () => inner.entries!() } : {}),
  };
}
