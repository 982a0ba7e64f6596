// Redis slow but answering, behind a proxy that delays every reply: the store becomes healthy
// as long as one round trip fits in timeoutMs, says what failed when it does not, and an
// evaluation takes at most timeoutMs per store call it makes (the README's bound).
import { setTimeout as sleep } from 'node:timers/promises';
import { createAuditLog, memorySink } from '@flagstate/audit';
import { stateKey } from '@flagstate/core';
import { memorySource, StateMachineProvider } from '@flagstate/provider';
import { RedisStateStore, type RedisStoreError } from '@flagstate/redis';
import { RedisServer, redisUnavailable } from '@flagstate/test-kit';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DelayingProxy } from './support/delaying-proxy.js';
import { MACHINE, servingDocument } from './support/phase-documents.js';
import { RecordingStore } from './support/recording-store.js';
import { record, TestStores, uniquePrefix } from './support/test-stores.js';
import { timed, untilHealthy, watchStalls } from './support/timing.js';

const TIMEOUT = 250;
const SLACK = 100; // scheduling noise, on top of the event loop's measured stalls

const skip = redisUnavailable({ ownServer: true });
describe.skipIf(skip !== undefined)(`Redis behind a slow link${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let server: RedisServer;
  let proxy: DelayingProxy;
  let stores: TestStores;
  beforeAll(async () => {
    server = await RedisServer.start();
    stores = new TestStores(server.url);
  });
  afterEach(async () => {
    await OpenFeature.clearProviders();
    await stores.closeAll();
    await proxy?.close();
  });
  afterAll(() => server?.dispose());

  it('becomes healthy and compare-and-sets when each reply takes 90 ms of a 250 ms timeout', async () => {
    proxy = await DelayingProxy.start(server.port, 90);
    const store = stores.store({ url: proxy.url, timeoutMs: TIMEOUT, nearCache: 'off' });
    const admin = stores.admin();
    await untilHealthy(store, 3_000);
    const stalls = watchStalls();
    const cas = await timed(store.compareAndSet('checkout', 'u', 0, record('legacy', 1)));
    expect(cas.error).toBeUndefined();
    expect(cas.value).toBe(true);
    expect(cas.ms).toBeGreaterThanOrEqual(89); // it went through the proxy
    expect(cas.ms).toBeLessThan(TIMEOUT + SLACK + stalls());
    expect(await store.get('checkout', 'u')).toStrictEqual(record('legacy', 1));
    expect(await store.compareAndSet('checkout', 'u', 1, record('canary', 2))).toBe(true);
    expect(await store.compareAndSet('checkout', 'u', 1, record('v2', 2))).toBe(false);
    expect(await admin.hget(stateKey('checkout', 'u', store.keyPrefix), 'state')).toBe('canary');
    expect(store.healthy).toBe(true);
  });

  it('names the probe when it is what fails, and recovers once a round trip fits the timeout', async () => {
    proxy = await DelayingProxy.start(server.port, 2 * TIMEOUT);
    const store = stores.store({ url: proxy.url, timeoutMs: TIMEOUT, nearCache: 'off' });
    // No reply can come back in time: first no connection, then a probe that times out.
    let error: RedisStoreError | undefined;
    const end = Date.now() + 3_000;
    while (!/probe/.test(error?.message ?? '') || /not answered yet/.test(error?.message ?? '')) {
      if (Date.now() > end) throw new Error(`no probe timeout reported; last: ${error?.message}`);
      error = (await timed(store.get('checkout', 'u'))).error as RedisStoreError;
      expect(error.message).toMatch(
        /^get: Redis (was not ready within 250 ms|unavailable): (no connection \(status \w+|connected, but the probe \(TIME\) has not answered yet|the probe)/,
      );
      await sleep(20);
    }
    expect(error!.code).toBe('STORE_UNAVAILABLE');
    expect(error!.message).toBe(
      'get: Redis unavailable: the probe (TIME) did not answer within 250 ms; probing again every 250 ms',
    );
    expect(store.healthy).toBe(false);

    proxy.delayMs = 90;
    await untilHealthy(store, 3_000);
    expect(await store.compareAndSet('checkout', 'u', 0, record('legacy', 1))).toBe(true);
  });

  it('bounds an evaluation by timeoutMs per store call: 1, 2, and 4 calls after a lost race (enforce mode)', async () => {
    proxy = await DelayingProxy.start(server.port, 120);
    const keyPrefix = uniquePrefix('slow');
    const enforce = { ...MACHINE, enforcement: 'enforce' };
    const slow = new RedisStateStore({ url: proxy.url, keyPrefix, timeoutMs: TIMEOUT, nearCache: 'off' });
    const recording = new RecordingStore(slow);
    const other = stores.store({ keyPrefix, nearCache: 'off' }); // another replica, on a fast link
    const source = memorySource(servingDocument('legacy', enforce));
    const sink = memorySink();
    const audit = createAuditLog({ sinks: [sink] });
    const provider = new StateMachineProvider({ source, store: recording, audit });
    await OpenFeature.setProviderAndWait('slow-link', provider);
    const client = OpenFeature.getClient('slow-link');
    try {
      await untilHealthy(slow, 3_000);
      const stalls = watchStalls();
      const evaluate = async (target: string) => {
        source.update(servingDocument(target, enforce));
        const from = recording.calls.length;
        const t = await timed(client.getStringDetails('checkout', 'fallback', { targetingKey: 'u' }));
        const calls = recording.since(from);
        expect(calls.every((c) => c.error === undefined)).toBe(true);
        // Each call is a round trip through the proxy, one after another.
        expect(t.ms).toBeGreaterThanOrEqual(calls.length * 119);
        expect(t.ms, `${calls.length} calls`).toBeLessThan(calls.length * TIMEOUT + SLACK + stalls());
        return { ms: t.ms, calls: calls.map((c) => c.op), variant: t.value?.variant };
      };

      const init = await evaluate('legacy');
      // The provider reads; its hook takes that read over rather than reading again; then the write.
      expect(init.calls).toEqual(['get', 'compareAndSet']);
      const steady = await evaluate('legacy');
      expect(steady.calls).toEqual(['get']);
      const move = await evaluate('canary');
      expect(move).toMatchObject({ variant: 'canary', calls: ['get', 'compareAndSet'] });

      // Another replica rolls the subject back just before this one writes its promotion.
      recording.beforeCompareAndSet = async (subject, expected) => {
        recording.beforeCompareAndSet = undefined;
        expect(await other.compareAndSet('checkout', subject, expected, record('legacy', expected + 1))).toBe(
          true,
        );
      };
      const raced = await evaluate('v2');
      expect(raced.calls).toEqual(['get', 'compareAndSet', 'get', 'compareAndSet']);
      expect(raced.ms).toBeGreaterThan(TIMEOUT); // over one timeout: the bound is per call
      await audit.flush();
      expect(sink.records.map((r) => [r.event.action, r.state_change?.to])).toEqual([
        ['state-init', 'legacy'],
        ['state-transition', 'canary'],
        ['state-race', 'v2'],
        ['state-transition-illegal', 'v2'],
      ]);
      expect(provider.hook.stats().failures).toBe(0);
      console.info(
        `slow link (120 ms per reply, timeoutMs ${TIMEOUT}): ${[init, steady, move, raced]
          .map((e) => `${e.calls.length} calls ${Math.round(e.ms)} ms`)
          .join(', ')}`,
      );
    } finally {
      await OpenFeature.clearProviders();
      await audit.close();
      await slow.close();
    }
  }, 15_000);
});
