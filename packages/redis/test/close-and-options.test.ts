// close() and the constructor's checks.
import { RedisStateStore, RedisStoreError } from '@flagstate/redis';
import { redisUnavailable } from '@flagstate/test-kit';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisSuite } from './support/redis-suite.js';
import { deleteKeys, GENEROUS_TIMEOUT_MS, record, uniquePrefix } from './support/test-stores.js';

const skip = redisUnavailable();
describe.skipIf(skip !== undefined)(
  `RedisStateStore close and options${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const suite = redisSuite();

    it('closes a client the store created, leaves a passed client open, and rejects later calls', async () => {
      const url = suite.redis.url;
      const owned = new RedisStateStore({ url, keyPrefix: uniquePrefix(), timeoutMs: GENEROUS_TIMEOUT_MS });
      await owned.compareAndSet('checkout', 'u', 0, record('legacy', 1));
      await owned.close();
      expect(owned.client.status).toBe('end');
      await expect(owned.get('checkout', 'u')).rejects.toMatchObject({
        code: 'STORE_CLOSED',
        message: 'get: the store is closed',
      });

      const client = new Redis(url);
      try {
        const borrowed = new RedisStateStore({
          client,
          keyPrefix: owned.keyPrefix,
          timeoutMs: GENEROUS_TIMEOUT_MS,
        });
        expect((await borrowed.get('checkout', 'u'))?.version).toBe(1);
        await borrowed.close();
        expect(client.status).toBe('ready');
        expect(await client.ping()).toBe('PONG');
        await expect(borrowed.compareAndSet('checkout', 'u', 1, record('canary', 2))).rejects.toBeInstanceOf(
          RedisStoreError,
        );
      } finally {
        client.disconnect();
        await deleteKeys(url, owned.keyPrefix);
      }
    });

    it('rejects invalid options, naming them', () => {
      const url = suite.redis.url;
      expect(() => new RedisStateStore({ url, timeoutMs: 0 })).toThrow(/^timeoutMs must be positive, got 0$/);
      expect(() => new RedisStateStore({ url, ttlMs: -1 })).toThrow(/^ttlMs must be a positive integer/);
      expect(() => new RedisStateStore({ url, nearCacheMs: -1 })).toThrow(/^nearCacheMs must be 0 or more/);
      expect(() => new RedisStateStore({ url, nearCacheMaxSubjects: 0 })).toThrow(RangeError);
    });
  },
);
