import type { StateStore } from '@flagstate/core';

/**
 * Any store behind a switch that makes every call fail as a store that went away does (an
 * asynchronous rejection, as a networked store gives), for the outage contract. `down` is
 * read at each call.
 */
export function outageStore(inner: StateStore, down: () => boolean): StateStore {
  const fail = () => Promise.reject(new Error('ECONNRESET: the state store went away'));
  return {
    get: (machine, subject) => (down() ? fail() : Promise.resolve(inner.get(machine, subject))),
    compareAndSet: (machine, subject, expected, record) =>
      down() ? fail() : Promise.resolve(inner.compareAndSet(machine, subject, expected, record)),
    size: () => (down() ? fail() : Promise.resolve(inner.size())),
    ...(inner.entries ? { entries: () => inner.entries!() } : {}),
  };
}
