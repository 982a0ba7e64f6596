import { RedisStateStore } from '@flagstate/redis';
import { clusterUnavailable, RedisCluster } from '@flagstate/test-kit';
import { afterAll, beforeAll } from 'vitest';
import type { ContractSetup } from '../setup.js';
import { nearCacheAnsweredToTheEnd, nearCacheAnswering } from './near-cache-answering.js';
import { providerHarness } from './provider-harness.js';
import { runStoreOptions } from './run-store-options.js';

/** Why the Redis Cluster setup cannot run here (no redis-server or redis-cli); throws under CI. */
export const redisClusterSetupUnavailable: string | undefined = clusterUnavailable();

let cluster: Promise<RedisCluster> | undefined;

// One cluster for the test file, started before its first test (starting one takes seconds,
// longer than a short contract's timeout) and stopped after its last.
if (redisClusterSetupUnavailable === undefined) {
  beforeAll(async () => {
    cluster ??= RedisCluster.start();
    await cluster;
  }, 60_000);
  afterAll(async () => {
    const started = cluster;
    cluster = undefined;
    if (started !== undefined) await (await started).dispose();
  });
}

/**
 * The flagstate provider with a RedisStateStore on a real Redis Cluster of three masters with
 * one replica each (a fresh key prefix for each run), so that a run's subjects spread over
 * every master: each compare-and-set goes to its key's master, `size()` and `entries()` scan
 * all three. The store keeps its default tracking near-cache, with a tracker on every master.
 */
export const redisClusterSetup: ContractSetup = {
  name: 'StateMachineProvider + RedisStateStore on Redis Cluster',
  notDurable:
    "Redis Cluster replicates asynchronously: a write its master acknowledged and lost before a replica had it is gone after the failover (packages/redis/README.md, 'Failover'); the setup's nodes keep no append-only file",
  canHold: true,
  async create({ audit, wrapStore, clock, enforcement }) {
    if (cluster === undefined) throw new Error('the Redis Cluster setup runs only inside a vitest file');
    const own = new RedisStateStore({ cluster: (await cluster).nodes, ...runStoreOptions() });
    await nearCacheAnswering(redisClusterSetup.name, own);
    const harness = await providerHarness({ audit, store: own, wrapStore, clock, enforcement });
    return {
      ...harness,
      // The cluster is the setup's own and goes at the end of the file: no keys to clean.
      async close() {
        // Read before closing: whether every master's invalidations kept arriving for the whole run.
        const { nearCacheActive, nearCacheStatus } = own;
        try {
          await harness.close();
        } finally {
          await own.close();
        }
        nearCacheAnsweredToTheEnd(redisClusterSetup.name, { nearCacheActive, nearCacheStatus });
      },
    };
  },
};
