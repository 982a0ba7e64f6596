import { join } from 'node:path';
import { createAuditLog, fileSink } from '@flagstate/audit';
import type { Clock } from '@flagstate/core';
import { RedisStateStore } from '@flagstate/redis';
import {
  disposeSharedRedis,
  findRedisServer,
  RedisServer,
  redisUnavailable,
  sharedRedis,
} from '@flagstate/test-kit';
import { afterAll } from 'vitest';
import type { ContractSetup, DurableHarness } from '../setup.js';
import { durableAuditFiles } from './durable-provider.setup.js';
import { nearCacheAnsweredToTheEnd, nearCacheAnswering } from './near-cache-answering.js';
import { providerHarness } from './provider-harness.js';
import { runStoreOptions } from './run-store-options.js';

const name = 'StateMachineProvider + RedisStateStore';

/** Why the Redis setup cannot run here (no redis-server, no REDIS_URL); throws under CI. */
export const redisSetupUnavailable: string | undefined = redisUnavailable();

// The setup starts one redis-server for the test file, on first use; stop it at the end.
afterAll(() => disposeSharedRedis());

/**
 * For contract 6: a redis-server of its own with an append-only file fsync'ed on every write,
 * in `dir/redis`, and the audit log in files in `dir`: what a service that restarts (and whose
 * Redis restarts with it) keeps. Opened again on the same directory, Redis reloads its file
 * and the audit log links its new stream to the last one.
 */
async function openDurable(
  dir: string,
  options: { readonly clock?: Clock | undefined; readonly enforcement?: 'audit' | 'enforce' | undefined },
): Promise<DurableHarness> {
  const server = await RedisServer.start({ persistence: 'aof', dir: join(dir, 'redis') });
  const store = new RedisStateStore({ url: server.url, keyPrefix: 'flagstate-contract:', timeoutMs: 5_000 });
  await nearCacheAnswering(name, store);
  // Small files, so that the contract crosses rotations too.
  const audit = createAuditLog({ sinks: [fileSink(join(dir, 'audit.ndjson'), { maxBytes: 64 * 1024 })] });
  const harness = await providerHarness({ audit, store, ...options });
  return {
    ...harness,
    audit,
    auditFiles: () => durableAuditFiles(dir),
    flushSync: () => audit.flushSync(),
    async close() {
      await harness.close();
      await audit.close();
      await store.close();
      await server.dispose(); // stops it; the directory is the caller's
    },
  };
}

/**
 * The flagstate provider with a RedisStateStore (a fresh key prefix for each run) and its
 * default tracking near-cache, on a redis-server the setup starts itself on a free loopback
 * port, or on REDIS_URL. On its own server the near-cache must answer from the start of a run
 * to its end (on REDIS_URL, a Redis before 6 cannot track, and every get asks Redis). Restarts
 * (contract 6) run on a redis-server with AOF that the setup starts per directory.
 */
export const redisSetup: ContractSetup = {
  name,
  ...(findRedisServer() === undefined
    ? {
        notDurable:
          'on REDIS_URL the setup cannot start a redis-server of its own with AOF, on a directory it controls',
      }
    : { restart: { open: openDurable } }),
  canHold: true,
  async create({ audit, wrapStore, clock, enforcement }) {
    const redis = await sharedRedis();
    const own = new RedisStateStore({ url: redis.url, ...runStoreOptions() });
    const tracking = redis.server !== undefined;
    if (tracking) await nearCacheAnswering(name, own);
    const harness = await providerHarness({ audit, store: own, wrapStore, clock, enforcement });
    return {
      ...harness,
      async close() {
        // Read before closing: whether invalidations kept arriving for the whole run.
        const { nearCacheActive, nearCacheStatus } = own;
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
        if (tracking) nearCacheAnsweredToTheEnd(name, { nearCacheActive, nearCacheStatus });
      },
    };
  },
};
