// Redis unreachable or slow: every call rejects within timeoutMs, nothing is written late, and
// evaluations through the hook and the provider keep answering.
import { createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAuditLog, memorySink, stateKey } from '@flagstate/core';
import { StateMachineProvider } from '@flagstate/provider';
import { RedisStateStore, RedisStoreError } from '@flagstate/redis';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { MACHINE, phaseDocument } from './support/phase-documents.js';
import { freePort, type RedisHandle, redisUnavailable, useRedis } from './support/redis-server.js';
import { deleteKeys, record, TestStores, uniquePrefix } from './support/test-stores.js';

const TIMEOUT = 200;
const SLACK = 100; // scheduling noise on a busy CI machine
const FAST = 50; // failing fast: far below TIMEOUT

/** How long a promise took to settle, and how. */
async function timed<T>(promise: MaybeAsync<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await promise;
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}
type MaybeAsync<T> = T | Promise<T>;

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not true within ${ms} ms`);
    await sleep(10);
  }
}

/** Errors logged during evaluations: they go to the OpenFeature client's logger. */
function captureEvaluationLogs(): string[] {
  const errors: string[] = [];
  OpenFeature.setLogger({ error: (m: string) => errors.push(m), warn() {}, info() {}, debug() {} });
  onTestFinished(() => {
    OpenFeature.setLogger(console);
  });
  return errors;
}

describe('RedisStateStore against a server that never answers', () => {
  it('waits timeoutMs for the first connection once, then fails fast', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket)); // accepts, never replies
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const store = new RedisStateStore({ url: `redis://127.0.0.1:${port}`, timeoutMs: TIMEOUT });
    try {
      const first = await timed(store.get('checkout', 'u'));
      expect((first.error as RedisStoreError).code).toBe('STORE_TIMEOUT');
      expect(first.ms).toBeGreaterThanOrEqual(TIMEOUT - 5);
      expect(first.ms).toBeLessThan(TIMEOUT + SLACK);
      const second = await timed(store.compareAndSet('checkout', 'u', 0, record('legacy', 1)));
      expect((second.error as RedisStoreError).code).toBe('STORE_UNAVAILABLE');
      expect(second.ms).toBeLessThan(FAST);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      await store.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

const skip = redisUnavailable();
describe.skipIf(skip !== undefined)(`RedisStateStore failures${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let redis: RedisHandle;
  let stores: TestStores;
  beforeAll(async () => {
    redis = await useRedis();
    stores = new TestStores(redis.url);
  });
  afterEach(() => stores.closeAll());
  afterAll(() => redis?.dispose());

  it('unreachable: a port with nothing listening rejects at once, and keeps rejecting fast', async () => {
    const port = await freePort();
    const store = new RedisStateStore({ url: `redis://127.0.0.1:${port}`, timeoutMs: TIMEOUT });
    try {
      const first = await timed(store.get('checkout', 'u'));
      expect(first.error).toBeInstanceOf(RedisStoreError);
      expect(first.ms).toBeLessThan(TIMEOUT + SLACK);
      for (const call of [
        (): Promise<unknown> => store.get('checkout', 'u') as Promise<unknown>,
        () => store.compareAndSet('checkout', 'u', 0, record('legacy', 1)),
        () => store.size(),
      ]) {
        const t = await timed(call());
        expect((t.error as RedisStoreError).code).toBe('STORE_UNAVAILABLE');
        expect(t.ms).toBeLessThan(FAST);
      }
      expect(store.healthy).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('slow: a paused Redis makes calls reject within timeoutMs, and a timed-out write is never applied later', async () => {
    const store = stores.store({ timeoutMs: TIMEOUT });
    const admin = stores.admin();
    const pauser = stores.admin();
    await store.compareAndSet('checkout', 'u', 0, record('legacy', 1));
    expect(store.healthy).toBe(true);

    await pauser.client('PAUSE', 700, 'ALL');
    const cas = await timed(store.compareAndSet('checkout', 'u', 1, record('canary', 2)));
    expect((cas.error as RedisStoreError).code).toBe('STORE_TIMEOUT');
    expect(cas.ms).toBeGreaterThanOrEqual(TIMEOUT - 5);
    expect(cas.ms).toBeLessThan(TIMEOUT + SLACK);
    // Tripped: further calls fail fast instead of each waiting out the timeout.
    const get = await timed(store.get('checkout', 'u'));
    expect((get.error as RedisStoreError).code).toBe('STORE_UNAVAILABLE');
    expect(get.ms).toBeLessThan(FAST);

    // Redis runs the queued script once the pause ends; past its deadline, it does not write.
    await until(() => store.healthy, 3_000);
    expect(await admin.hgetall(stateKey('checkout', 'u', store.keyPrefix))).toMatchObject({
      state: 'legacy',
      version: '1',
    });
    expect(await store.compareAndSet('checkout', 'u', 1, record('canary', 2))).toBe(true);
  });

  it('slow: evaluations through the provider answer within timeoutMs, record nothing, and the hook counts and logs it', async () => {
    const sink = memorySink();
    const audit = createAuditLog({ sinks: [sink] });
    const errors = captureEvaluationLogs();
    const store = new RedisStateStore({ url: redis.url, keyPrefix: uniquePrefix(), timeoutMs: TIMEOUT });
    const provider = new StateMachineProvider({ source: phaseDocument(1), store, audit });
    await OpenFeature.setProviderAndWait('failure-slow', provider);
    const client = OpenFeature.getClient('failure-slow');
    const pauser = stores.admin();
    try {
      await client.getStringValue('checkout', 'fallback', { targetingKey: 'before' });
      await audit.flush();
      expect(sink.records).toHaveLength(1);

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
        expect(r.ms).toBeLessThan(TIMEOUT + SLACK);
      }
      // Only the first evaluation waited; the tripped store failed the others at once.
      expect(results.filter((r) => r.ms >= TIMEOUT - 5)).toHaveLength(1);
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

  it('enforce mode with Redis down: the provider serves targeting, marked store_unavailable', async () => {
    const port = await freePort();
    const store = new RedisStateStore({ url: `redis://127.0.0.1:${port}`, timeoutMs: TIMEOUT });
    const audit = createAuditLog({ sinks: [memorySink()] });
    const document = { ...phaseDocument(3), machines: { checkout: { ...MACHINE, enforcement: 'enforce' } } };
    const errors = captureEvaluationLogs();
    const provider = new StateMachineProvider({ source: document, store, audit });
    await OpenFeature.setProviderAndWait('failure-enforce', provider);
    const client = OpenFeature.getClient('failure-enforce');
    try {
      for (let i = 0; i < 10; i++) {
        const t = await timed(client.getStringDetails('checkout', 'fallback', { targetingKey: `user-${i}` }));
        expect(t.ms).toBeLessThan(TIMEOUT + SLACK);
        const d = t.value!;
        expect(d.errorCode).toBeUndefined();
        expect(['canary', 'v2']).toContain(d.variant); // phase 3 targets canary or v2; nobody is held at legacy
        expect(d.flagMetadata['flagstate.held']).toBe('store_unavailable');
        expect(d.flagMetadata['flagstate.requested']).toBe(d.variant);
      }
      expect(provider.hook.stats().failures).toBe(10);
      expect(errors[0]).toMatch(/state store failed \(1 time so far\): get: .*(unavailable|did not answer)/);
    } finally {
      await OpenFeature.clearProviders();
      await audit.close();
      await store.close();
    }
  });
});
