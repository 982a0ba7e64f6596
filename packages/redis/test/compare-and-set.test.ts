// The compare-and-set: one Lua script that writes only on the expected version.
import { RedisStateStore } from '@flagstate/redis';
import { redisUnavailable } from '@flagstate/test-kit';
import { describe, expect, it } from 'vitest';
import { CAS_SHA } from '../src/internal/cas-script.js';
import { redisSuite } from './support/redis-suite.js';
import { commandCalls, GENEROUS_TIMEOUT_MS, record } from './support/test-stores.js';

const skip = redisUnavailable();
describe.skipIf(skip !== undefined)(
  `RedisStateStore compare-and-set${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const suite = redisSuite();

    it('treats an absent record as version 0 and writes nothing on a version mismatch', async () => {
      const store = suite.stores.store();
      expect(await store.get('checkout', 'u')).toBeUndefined();
      expect(await store.compareAndSet('checkout', 'u', 1, record('canary', 2))).toBe(false);
      expect(await store.get('checkout', 'u')).toBeUndefined();
      expect(await store.compareAndSet('checkout', 'u', 0, record('legacy', 1))).toBe(true);
      expect(await store.compareAndSet('checkout', 'u', 0, record('canary', 1))).toBe(false);
      expect(await store.compareAndSet('checkout', 'u', 2, record('canary', 3))).toBe(false);
      expect(await store.get('checkout', 'u')).toStrictEqual(record('legacy', 1));
      expect(await store.compareAndSet('checkout', 'u', 1, record('canary', 2))).toBe(true);
      expect(await store.get('checkout', 'u')).toStrictEqual(record('canary', 2));
    });

    it('lets exactly one of two clients win each contended write, and loses no update', async () => {
      const a = suite.stores.store();
      const b = new RedisStateStore({
        url: suite.redis.url,
        keyPrefix: a.keyPrefix,
        timeoutMs: GENEROUS_TIMEOUT_MS,
      });
      try {
        const subjects = Array.from({ length: 50 }, (_, i) => `s-${i}`);
        const wins = await Promise.all(
          subjects.map(async (s) => {
            const [x, y] = await Promise.all([
              a.compareAndSet('checkout', s, 0, record('legacy', 1)),
              b.compareAndSet('checkout', s, 0, record('canary', 1)),
            ]);
            return Number(x) + Number(y);
          }),
        );
        expect(wins).toEqual(subjects.map(() => 1));

        // Both clients increment one subject by read-then-compare-and-set, at once.
        let written = 0;
        const increment = async (store: RedisStateStore, times: number) => {
          for (let done = 0; done < times; ) {
            const current = await store.get('checkout', 'counter');
            const version = current?.version ?? 0;
            if (await store.compareAndSet('checkout', 'counter', version, record('legacy', version + 1))) {
              done++;
              written++;
            }
          }
        };
        await Promise.all([increment(a, 100), increment(b, 100)]);
        expect(written).toBe(200);
        expect((await a.get('checkout', 'counter'))?.version).toBe(200);
      } finally {
        await b.close();
      }
    });

    it('still works after SCRIPT FLUSH: EVALSHA falls back to EVAL on NOSCRIPT, once', async () => {
      const store = suite.stores.store();
      const admin = suite.stores.admin();
      expect(await store.compareAndSet('checkout', 'u', 0, record('legacy', 1))).toBe(true);
      await admin.script('FLUSH');
      expect(await admin.script('EXISTS', CAS_SHA)).toEqual([0]);
      const evals = await commandCalls(admin, 'eval');
      const evalshas = await commandCalls(admin, 'evalsha');
      expect(await store.compareAndSet('checkout', 'u', 1, record('canary', 2))).toBe(true);
      expect(await commandCalls(admin, 'eval')).toBe(evals + 1);
      expect(await admin.script('EXISTS', CAS_SHA)).toEqual([1]);
      expect(await store.compareAndSet('checkout', 'u', 2, record('v2', 3))).toBe(true);
      expect(await commandCalls(admin, 'eval')).toBe(evals + 1); // loaded again: EVALSHA from now on
      expect(await commandCalls(admin, 'evalsha')).toBe(evalshas + 2);
      expect((await store.get('checkout', 'u'))?.state).toBe('v2');
    });
  },
);
