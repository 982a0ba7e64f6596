import { randomUUID } from 'node:crypto';
import { RedisStateStore } from '@flagstate/redis';
import { afterAll } from 'vitest';
// The redis-server helper is test support, not part of the package: reached by path.
import {
  disposeSharedRedis,
  redisUnavailable,
  sharedRedis,
} from '../../../packages/redis/test/support/redis-server.js';
import type { ContractSetup } from '../setup.js';
import { providerHarness } from './provider-harness.js';

/** Why the Redis setup cannot run here (no redis-server, no REDIS_URL); throws under CI. */
export const redisSetupUnavailable: string | undefined = redisUnavailable();

// The setup starts one redis-server for the test file, on first use; stop it at the end.
afterAll(() => disposeSharedRedis());

/**
 * The flagstate provider with a RedisStateStore (a fresh key prefix for each run), on a
 * redis-server the setup starts itself on a free loopback port, or on REDIS_URL. The timeout
 * is generous: the contracts check consistency, not latency, on a shared, loaded machine.
 */
export const redisSetup: ContractSetup = {
  name: 'StateMachineProvider + RedisStateStore',
  notDurable:
    'its redis-server runs without persistence here, and its audit log is in memory; restarts of Redis itself need AOF, not yet covered by this contract',
  canHold: true,
  async create({ audit, wrapStore, clock, enforcement = 'audit' }) {
    const redis = await sharedRedis();
    const own = new RedisStateStore({
      url: redis.url,
      keyPrefix: `flagstate-contract:${randomUUID()}:`,
      timeoutMs: 5_000,
    });
    const harness = await providerHarness({
      audit,
      store: wrapStore ? wrapStore(own) : own,
      clock,
      enforcement,
    });
    return {
      ...harness,
      async close() {
        await harness.close();
        // Leave nothing behind on a shared REDIS_URL; a Redis already gone has nothing to clean.
        try {
          let cursor = '0';
          do {
            const [next, keys] = await own.client.scan(cursor, 'MATCH', `${own.keyPrefix}*`, 'COUNT', 1000);
            if (keys.length > 0) await own.client.del(...keys);
            cursor = next;
          } while (cursor !== '0');
        } finally {
          await own.close();
        }
      },
    };
  },
};
