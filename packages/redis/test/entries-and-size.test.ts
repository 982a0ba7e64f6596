// size() and entries(): SCAN over the prefix, each key once, nothing outside it.

import { redisUnavailable } from '@flagstate/test-kit';
import { describe, expect, it } from 'vitest';
import { redisSuite } from './support/redis-suite.js';
import { record, uniquePrefix } from './support/test-stores.js';
import { untilHealthy } from './support/timing.js';

const skip = redisUnavailable();
describe.skipIf(skip !== undefined)(
  `RedisStateStore entries and size${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const suite = redisSuite();

    it('list every record under the prefix across SCAN pages, each once, and nothing else', async () => {
      const base = uniquePrefix('glob');
      // A prefix with glob characters must not match its neighbours' keys.
      const store = suite.stores.store({ keyPrefix: `${base}[a]*?:` });
      const neighbour = suite.stores.store({ keyPrefix: `${base}a-x:` });
      // 1,200 writes at once: connected first, with a timeout meant for a loaded machine.
      await untilHealthy(store);
      const n = 1_200;
      const written = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          store.compareAndSet('checkout', `user-${i}`, 0, record('legacy', 1)),
        ),
      );
      expect(written.every((w) => w)).toBe(true);
      await neighbour.compareAndSet('checkout', 'user-0', 0, record('canary', 1));
      expect(await store.size()).toBe(n);
      expect(await neighbour.size()).toBe(1);
      const seen = new Map<string, number>();
      for await (const { machine, subject, record: r } of store.entries()) {
        expect(machine).toBe('checkout');
        expect(r).toStrictEqual(record('legacy', 1));
        seen.set(subject, (seen.get(subject) ?? 0) + 1);
      }
      expect(seen.size).toBe(n);
      expect([...seen.values()].every((c) => c === 1)).toBe(true);
    });
  },
);
