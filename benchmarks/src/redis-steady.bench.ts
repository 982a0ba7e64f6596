// The steady path with RedisStateStore on loopback against LruStateStore, in one run: the
// engine's observe, and a full evaluation through the OpenFeature SDK with the provider.
// RedisStateStore sends one HGETALL per steady get, with no batching: concurrent evaluations
// share the connection and ioredis writes each command at once, so Redis sees them pipelined
// on the socket anyway (the "100 concurrent" row). With the near-cache, a steady get is a
// synchronous map lookup; the tracking near-cache (the default) is the same lookup, kept
// correct by Redis's invalidations. Starts its own redis-server (or uses REDIS_URL).
import { createAuditLog, memorySink } from '@flagstate/audit';
import { LruStateStore, parseMachines, TransitionEngine } from '@flagstate/core';
import { StateMachineProvider } from '@flagstate/provider';
// benchmarks does not depend on @flagstate/redis (yet): its sources are reached by path.
import { RedisStateStore } from '@flagstate/redis';
import { clusterUnavailable, RedisCluster, useRedis } from '@flagstate/test-kit';
import { OpenFeature } from '@openfeature/server-sdk';
import { bench, do_not_optimize } from 'mitata';
import { headline } from './headline.js';
import { measure, table } from './report.js';

const SUBJECTS = 1_000;
const CONCURRENT = 100;
const subjects = Array.from({ length: SUBJECTS }, (_, i) => `user-${i}`);
const contexts = subjects.map((targetingKey) => ({ targetingKey }));
const MACHINE = {
  version: 1,
  initial: 'legacy',
  flags: ['checkout'],
  states: { legacy: {}, canary: { minDwell: '1h' }, v2: {} },
  transitions: [
    { from: 'legacy', to: 'canary' },
    { from: 'canary', to: 'v2' },
  ],
};
const DOCUMENT = {
  flags: {
    checkout: { state: 'ENABLED', variants: { legacy: 'L', canary: 'C', v2: 'V' }, defaultVariant: 'legacy' },
  },
  machines: { checkout: MACHINE },
};

export async function redisSteady(): Promise<string> {
  const redis = await useRedis();
  const prefix = `flagstate-bench:${process.pid}:`;
  const stores = {
    lru: new LruStateStore(),
    redis: new RedisStateStore({ url: redis.url, keyPrefix: prefix, nearCache: 'off' }),
    near: new RedisStateStore({ url: redis.url, keyPrefix: prefix, nearCacheMs: 60_000 }),
    // The default: Redis's client-side caching evicts what another replica writes.
    tracking: new RedisStateStore({ url: redis.url, keyPrefix: prefix }),
  };
  // A Cluster of three masters (one replica each), with the default near-cache on every master.
  const cluster = clusterUnavailable() === undefined ? await RedisCluster.start() : undefined;
  const clustered =
    cluster === undefined ? undefined : new RedisStateStore({ cluster: cluster.nodes, keyPrefix: prefix });
  try {
    const machines = parseMachines({ machines: { checkout: MACHINE } });
    const machine = machines.get('checkout')!;
    const engines = Object.fromEntries(
      Object.entries(stores).map(([name, store]) => [name, new TransitionEngine({ machines, store })]),
    ) as Record<keyof typeof stores, TransitionEngine>;
    // Every subject in its stored state: the observations below are all steady.
    for (const subject of subjects) {
      await engines.lru.observe({ machine, subject, state: 'legacy' });
      await engines.redis.observe({ machine, subject, state: 'legacy' });
      await engines.near.observe({ machine, subject, state: 'legacy' });
    }
    for (const store of [stores.tracking, clustered]) {
      const deadline = performance.now() + 10_000;
      while (store !== undefined && !store.nearCacheActive) {
        if (performance.now() > deadline)
          throw new Error(`the tracking near-cache did not start: ${store.nearCacheStatus}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    const audit = createAuditLog({ sinks: [memorySink()] });
    const clients = {} as Record<keyof typeof stores | 'enforce', ReturnType<typeof OpenFeature.getClient>>;
    for (const name of ['lru', 'redis', 'near', 'tracking'] as const) {
      await OpenFeature.setProviderAndWait(
        `bench-${name}`,
        new StateMachineProvider({ source: DOCUMENT, store: stores[name], audit }),
      );
      clients[name] = OpenFeature.getClient(`bench-${name}`);
    }
    const enforced = { ...DOCUMENT, machines: { checkout: { ...MACHINE, enforcement: 'enforce' } } };
    await OpenFeature.setProviderAndWait(
      'bench-enforce',
      new StateMachineProvider({ source: enforced, store: stores.redis, audit }),
    );
    clients.enforce = OpenFeature.getClient('bench-enforce');
    if (clustered !== undefined) {
      await OpenFeature.setProviderAndWait(
        'bench-cluster',
        new StateMachineProvider({ source: DOCUMENT, store: clustered, audit }),
      );
    }
    const clusterClient = OpenFeature.getClient('bench-cluster');
    for (const ctx of contexts) {
      await clients.near.getStringValue('checkout', 'x', ctx); // warm the near-caches
      await clients.tracking.getStringValue('checkout', 'x', ctx);
      if (clustered !== undefined) await clusterClient.getStringValue('checkout', 'x', ctx);
    }

    let i = 0;
    const next = () => {
      i = (i + 1) % SUBJECTS;
      return i;
    };
    const observation = { machine, subject: '', state: 'legacy' };
    const observe = (engine: TransitionEngine) => {
      observation.subject = subjects[next()]!;
      return engine.observe(observation);
    };

    const observeBaseline = 'TransitionEngine.observe steady, LruStateStore';
    const observeRows = await measure(() => {
      bench(observeBaseline, () => do_not_optimize(observe(engines.lru)));
      bench('observe steady, RedisStateStore (1 HGETALL round trip)', async () =>
        do_not_optimize(await observe(engines.redis)),
      );
      // A near-cache hit answers synchronously, so the engine's result is not a promise either.
      bench('observe steady, RedisStateStore + near-cache (hit: synchronous)', () =>
        do_not_optimize(observe(engines.near)),
      );
      bench(`${CONCURRENT} concurrent steady observes, RedisStateStore (per batch)`, async () => {
        const batch = [];
        for (let k = 0; k < CONCURRENT; k++) {
          batch.push(engines.redis.observe({ machine, subject: subjects[next()]!, state: 'legacy' }));
        }
        do_not_optimize(await Promise.all(batch));
      });
    }, observeBaseline);

    const sdkBaseline = 'getStringValue steady, StateMachineProvider + LruStateStore';
    const sdkRows = await measure(() => {
      bench(sdkBaseline, async () =>
        do_not_optimize(await clients.lru.getStringValue('checkout', 'x', contexts[next()]!)),
      );
      bench('getStringValue steady, + RedisStateStore', async () =>
        do_not_optimize(await clients.redis.getStringValue('checkout', 'x', contexts[next()]!)),
      );
      bench('getStringValue steady, + RedisStateStore + tracking near-cache (the default)', async () =>
        do_not_optimize(await clients.tracking.getStringValue('checkout', 'x', contexts[next()]!)),
      );
      bench('getStringValue steady, + RedisStateStore + near-cache (nearCacheMs)', async () =>
        do_not_optimize(await clients.near.getStringValue('checkout', 'x', contexts[next()]!)),
      );
      bench('getStringValue steady, enforce mode + RedisStateStore (2 round trips)', async () =>
        do_not_optimize(await clients.enforce.getStringValue('checkout', 'x', contexts[next()]!)),
      );
      if (clustered !== undefined) {
        bench(
          'getStringValue steady, + RedisStateStore on a Cluster (3 masters) + tracking near-cache',
          async () => do_not_optimize(await clusterClient.getStringValue('checkout', 'x', contexts[next()]!)),
        );
      }
    }, sdkBaseline);

    const tracking = sdkRows.find((r) => r.name.includes('tracking near-cache (the default)'))!;
    headline({
      row: 'steady evaluation with `RedisStateStore` (tracking near-cache, the default), through the SDK',
      measured: `${tracking.ratio.toFixed(2)}× the LRU store (median of the rounds' ratios)`,
      goal: '≤ 1.2× the LRU store',
      met: tracking.ratio <= 1.2,
    });
    const onCluster = sdkRows.find((r) => r.name.includes('on a Cluster'));
    if (onCluster !== undefined) {
      headline({
        row: 'the same on a Redis Cluster of 3 masters (tracking near-cache on every master)',
        measured: `${onCluster.ratio.toFixed(2)}× the LRU store`,
        goal: '≤ 1.2× the LRU store',
        met: onCluster.ratio <= 1.2,
      });
    }
    return [
      table(
        `Steady observe: RedisStateStore on loopback vs LruStateStore (${SUBJECTS} subjects)`,
        observeRows,
        observeBaseline,
      ),
      '',
      table('Steady evaluation through the SDK: RedisStateStore vs LruStateStore', sdkRows, sdkBaseline),
    ].join('\n');
  } finally {
    await OpenFeature.clearProviders();
    await stores.near.close();
    await stores.tracking.close();
    const keys: string[] = [];
    for await (const { machine, subject } of stores.redis.entries())
      keys.push(`${prefix}${machine}:${subject}`);
    if (keys.length > 0) await stores.redis.client.del(...keys);
    await stores.redis.close();
    await clustered?.close();
    await cluster?.dispose();
    await redis.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await redisSteady());
}
