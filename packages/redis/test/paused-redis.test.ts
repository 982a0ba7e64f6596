// Redis paused (CLIENT PAUSE): calls reject within timeoutMs, the first timeout trips the store
// so that later calls fail at once, a timed-out write is never applied later, and evaluations
// through the provider go on, recording nothing false.
import { createAuditLog, memorySink } from '@flagstate/audit';
import { stateKey } from '@flagstate/core';
import { memorySource, StateMachineProvider } from '@flagstate/provider';
import { RedisStateStore, type RedisStoreError } from '@flagstate/redis';
import { points, type RedisHandle, redisUnavailable, setupOtel, useRedis } from '@flagstate/test-kit';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureEvaluationLogs } from './support/evaluation-logs.js';
import { MACHINE, phaseDocument, servingDocument } from './support/phase-documents.js';
import { deleteKeys, record, TestStores, uniquePrefix } from './support/test-stores.js';
import { timed, until, untilHealthy, watchStalls } from './support/timing.js';

const TIMEOUT = 200;
const SLACK = 100; // scheduling noise, on top of the event loop's measured stalls
const FAST = 50; // failing fast: far below TIMEOUT

const skip = redisUnavailable();
describe.skipIf(skip !== undefined)(
  `RedisStateStore with Redis paused${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let redis: RedisHandle;
    let stores: TestStores;
    beforeAll(async () => {
      redis = await useRedis();
      stores = new TestStores(redis.url);
    });
    afterEach(() => stores.closeAll());
    afterAll(() => redis?.dispose());

    it('calls reject within timeoutMs, later ones at once, and a timed-out write is never applied later', async () => {
      const store = stores.store({ timeoutMs: TIMEOUT });
      const admin = stores.admin();
      const pauser = stores.admin();
      await untilHealthy(store);
      await store.compareAndSet('checkout', 'u', 0, record('legacy', 1));
      const stalls = watchStalls();

      await pauser.client('PAUSE', 700, 'ALL');
      const cas = await timed(store.compareAndSet('checkout', 'u', 1, record('canary', 2)));
      expect((cas.error as RedisStoreError).code).toBe('STORE_TIMEOUT');
      expect((cas.error as Error).message).toBe('compareAndSet: Redis did not answer within 200 ms');
      expect(cas.ms).toBeGreaterThanOrEqual(TIMEOUT - 5);
      expect(cas.ms).toBeLessThan(TIMEOUT + SLACK + stalls());
      // Tripped: further calls fail fast, saying why, instead of each waiting out the timeout.
      const get = await timed(store.get('checkout', 'u'));
      expect((get.error as RedisStoreError).code).toBe('STORE_UNAVAILABLE');
      expect((get.error as Error).message).toBe(
        'get: Redis unavailable: compareAndSet did not answer within 200 ms; waiting for the probe (TIME) to answer in time',
      );
      expect(get.ms).toBeLessThan(FAST + stalls());

      // Redis runs the queued script once the pause ends; past its deadline, it does not write.
      await until(() => store.healthy, 3_000);
      expect(await admin.hgetall(stateKey('checkout', 'u', store.keyPrefix))).toMatchObject({
        state: 'legacy',
        version: '1',
      });
      expect(await store.compareAndSet('checkout', 'u', 1, record('canary', 2))).toBe(true);
    });

    it('evaluations through the provider answer within timeoutMs, record nothing, and the hook counts and logs it', async () => {
      const sink = memorySink();
      const audit = createAuditLog({ sinks: [sink] });
      const errors = captureEvaluationLogs();
      const store = new RedisStateStore({ url: redis.url, keyPrefix: uniquePrefix(), timeoutMs: TIMEOUT });
      const provider = new StateMachineProvider({ source: phaseDocument(1), store, audit });
      await OpenFeature.setProviderAndWait('paused', provider);
      const client = OpenFeature.getClient('paused');
      const pauser = stores.admin();
      try {
        await untilHealthy(store);
        await client.getStringValue('checkout', 'fallback', { targetingKey: 'before' });
        await audit.flush();
        expect(sink.records).toHaveLength(1);
        const stalls = watchStalls();

        await pauser.client('PAUSE', 600, 'ALL');
        const results = [];
        for (let i = 0; i < 20; i++) {
          results.push(
            await timed(client.getStringDetails('checkout', 'fallback', { targetingKey: `during-${i}` })),
          );
        }
        for (const r of results) {
          expect(r.value?.value).toMatch(/^(legacy|new)-flow$/);
          expect(r.value?.errorCode).toBeUndefined();
          expect(r.ms).toBeLessThan(TIMEOUT + SLACK + stalls());
        }
        // Only the first evaluation waited; the tripped store failed the others at once.
        expect(results[0]!.ms).toBeGreaterThanOrEqual(TIMEOUT - 5);
        for (const r of results.slice(1)) expect(r.ms).toBeLessThan(FAST + stalls());
        await audit.flush();
        expect(sink.records).toHaveLength(1);
        expect(provider.hook.stats().failures).toBe(20);
        expect(errors[0]).toMatch(/state store failed \(1 time so far\): .*did not answer within 200 ms/);

        await until(() => store.healthy, 3_000);
        await client.getStringValue('checkout', 'fallback', { targetingKey: 'after' });
        await audit.flush();
        expect(sink.records.map((r) => r.state_change?.subject)).toEqual(['before', 'after']);
      } finally {
        await OpenFeature.clearProviders();
        await audit.close();
        await store.close();
        await deleteKeys(redis.url, store.keyPrefix);
      }
    });

    it('enforce mode: a paused Redis makes the provider hold to its policy, go stale, recover, count and audit the window', async () => {
      const otel = setupOtel();
      const sink = memorySink();
      const audit = createAuditLog({ sinks: [sink] });
      const store = new RedisStateStore({ url: redis.url, keyPrefix: uniquePrefix(), timeoutMs: TIMEOUT });
      const machine = { ...MACHINE, enforcement: 'enforce' };
      const source = memorySource(servingDocument('canary', machine));
      const provider = new StateMachineProvider({ source, store, audit });
      const events: string[] = [];
      await OpenFeature.setProviderAndWait('paused-enforce', provider);
      // Registered once ready: the events of the outage, not of initialisation.
      for (const e of [ProviderEvents.Stale, ProviderEvents.Ready])
        provider.events.addHandler(e, () => events.push(e));
      const client = OpenFeature.getClient('paused-enforce');
      const pauser = stores.admin();
      try {
        await untilHealthy(store);
        await client.getStringValue('checkout', 'fallback', { targetingKey: 'known' }); // canary
        source.update(servingDocument('v2', machine));
        const stalls = watchStalls();
        await pauser.client('PAUSE', 600, 'ALL');
        const during = [];
        for (const subject of ['known', 'stranger', 'known', 'stranger']) {
          during.push(
            await timed(client.getStringDetails('checkout', 'fallback', { targetingKey: subject })),
          );
        }
        for (const r of during) {
          expect(r.ms).toBeLessThan(TIMEOUT + SLACK + stalls());
          expect(r.value?.flagMetadata['flagstate.held']).toBe('store_unavailable');
        }
        // The known subject keeps the state it was last served; the stranger gets the caller's default.
        expect(during.map((r) => r.value?.variant ?? r.value?.value)).toEqual([
          'canary',
          'fallback',
          'canary',
          'fallback',
        ]);
        expect(events).toEqual([ProviderEvents.Stale]);
        expect(points((await otel.metrics()).get('flagstate.enforcement.suspended'))).toEqual([
          [
            {
              'flagstate.machine': 'checkout',
              'flagstate.reason': 'store_unavailable',
              'flagstate.policy': 'hold',
            },
            4,
          ],
        ]);

        await until(() => store.healthy, 3_000);
        expect(
          (await client.getStringDetails('checkout', 'fallback', { targetingKey: 'known' })).variant,
        ).toBe('v2');
        expect(events).toEqual([ProviderEvents.Stale, ProviderEvents.Ready]);
        await audit.flush();
        const evidence = sink.records.filter((r) => r.event.action === 'enforcement-suspended');
        expect(evidence.map((r) => r.audit.suspension)).toMatchObject([
          {
            reason: 'store_unavailable',
            policy: 'hold',
            evaluations: 4,
            served: { canary: 2, '(default)': 2 },
          },
        ]);
        expect(evidence[0]!.audit.suspension!.error).toMatch(/did not answer within 200 ms|unavailable/);
      } finally {
        await OpenFeature.clearProviders();
        await audit.close();
        await store.close();
        await deleteKeys(redis.url, store.keyPrefix);
        await otel.shutdown();
      }
    });
  },
);
