import type { AuditRecord } from '../../records/audit-record.js';
import type { Subscriber } from './subscriber.js';

/** A subscriber as an async iterator; `done` runs once it ends, by the log closing or by `return`. */
export function subscriberIterator(
  subscriber: Subscriber,
  done: () => void,
): AsyncIterableIterator<AuditRecord> {
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const value = await subscriber.next();
      if (value === undefined) {
        done();
        return { done: true, value: undefined };
      }
      return { done: false, value };
    },
    async return() {
      subscriber.end();
      done();
      return { done: true, value: undefined };
    },
  };
}
