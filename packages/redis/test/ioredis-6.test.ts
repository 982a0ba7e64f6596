// ioredis 6 speaks RESP3 by default, where Redis's invalidations never reached the tracking
// near-cache's subscriber and a replica kept answering another's overwritten record from
// memory. The store's own connections must work whichever ioredis the application brings:
// here the client is ioredis 6's, standalone and on a Cluster.
import { RedisStateStore, type RedisStateStoreClientOptions } from '@flagstate/redis';
import { clusterUnavailable, RedisCluster, redisUnavailable, useRedis } from '@flagstate/test-kit';
import { Cluster as Cluster6, Redis as Redis6 } from 'ioredis-6';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { GENEROUS_TIMEOUT_MS, record, uniquePrefix } from './support/test-stores.js';

const WAIT = { timeout: 5_000, interval: 5 };
/** ioredis 6's clients, typed as the ioredis 5 ones the package's types name. */
type Client = RedisStateStoreClientOptions['client'];

/** Two replicas on one client each: `a` near-cached, `b` without; b's writes must evict a's reads. */
async function evictsAcrossReplicas(a: RedisStateStore, b: RedisStateStore): Promise<void> {
  await vi.waitFor(() => expect(a.nearCacheActive, a.nearCacheStatus).toBe(true), WAIT);
  const subjects = Array.from({ length: 30 }, (_, i) => `s-${i}`);
  for (const s of subjects) expect(await b.compareAndSet('checkout', s, 0, record('legacy', 1))).toBe(true);
  await vi.waitFor(
    async () => {
      for (const s of subjects) expect(await a.get('checkout', s)).toStrictEqual(record('legacy', 1));
      for (const s of subjects) expect(a.get('checkout', s), s).toStrictEqual(record('legacy', 1));
    },
    { timeout: 10_000, interval: 100 },
  );
  for (const s of subjects) expect(await b.compareAndSet('checkout', s, 1, record('canary', 2))).toBe(true);
  await vi.waitFor(async () => {
    for (const s of subjects) expect(await a.get('checkout', s), s).toStrictEqual(record('canary', 2));
  }, WAIT);
}

const skip = redisUnavailable();
describe.skipIf(skip !== undefined)(
  `RedisStateStore with an ioredis 6 client${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const closing: Array<() => Promise<unknown>> = [];
    afterAll(async () => {
      for (const close of closing.reverse()) await close();
    });

    /** Two replicas on a client each: the first with the tracking near-cache, the second without. */
    const replicas = (keyPrefix: string, connect: () => Redis6 | Cluster6) =>
      (['tracking', 'off'] as const).map((nearCache) => {
        const client = connect();
        const store = new RedisStateStore({
          client: client as unknown as Client,
          keyPrefix,
          timeoutMs: GENEROUS_TIMEOUT_MS,
          nearCache,
        });
        closing.push(async () => {
          await store.close();
          client.disconnect();
        });
        return store;
      }) as [RedisStateStore, RedisStateStore];

    it("standalone: the tracking near-cache hears another replica's writes", async () => {
      const redis = await useRedis();
      closing.push(() => redis.dispose());
      const [a, b] = replicas(
        uniquePrefix('ioredis6'),
        () => new Redis6(redis.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false }),
      );
      await evictsAcrossReplicas(a, b);
    });

    it.skipIf(clusterUnavailable() !== undefined)(
      "on a Cluster: every master's tracker hears another replica's writes",
      async () => {
        const cluster = await RedisCluster.start();
        closing.push(() => cluster.dispose());
        const [a, b] = replicas(
          uniquePrefix('ioredis6-cluster'),
          () =>
            new Cluster6(cluster.nodes, {
              enableOfflineQueue: false,
              redisOptions: { maxRetriesPerRequest: 0 },
            }),
        );
        await evictsAcrossReplicas(a, b);
      },
      60_000,
    );
  },
);
