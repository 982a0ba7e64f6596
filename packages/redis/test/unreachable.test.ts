// Redis unreachable (nothing listening, or a server that never answers): every call rejects
// within timeoutMs, later calls fail at once, and evaluations through the provider go on.
import { createServer, type Socket } from 'node:net';
import { createAuditLog, memorySink } from '@flagstate/core';
import { StateMachineProvider } from '@flagstate/provider';
import { RedisStateStore, RedisStoreError } from '@flagstate/redis';
import { OpenFeature } from '@openfeature/server-sdk';
import { describe, expect, it } from 'vitest';
import { captureEvaluationLogs } from './support/evaluation-logs.js';
import { freePort } from './support/loopback.js';
import { MACHINE, servingDocument } from './support/phase-documents.js';
import { record } from './support/test-stores.js';
import { timed, watchStalls } from './support/timing.js';

const TIMEOUT = 200;
const SLACK = 100; // scheduling noise, on top of the event loop's measured stalls
const FAST = 50; // failing fast: far below TIMEOUT

describe('RedisStateStore with Redis unreachable', () => {
  it('waits timeoutMs for the first connection once, then fails fast', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket)); // accepts, never replies
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const stalls = watchStalls();
    const store = new RedisStateStore({ url: `redis://127.0.0.1:${port}`, timeoutMs: TIMEOUT });
    try {
      const first = await timed(store.get('checkout', 'u'));
      expect((first.error as RedisStoreError).code).toBe('STORE_TIMEOUT');
      expect((first.error as Error).message).toMatch(
        /^get: Redis was not ready within 200 ms: no connection \(status connect(ing)?\)$/,
      );
      expect(first.ms).toBeGreaterThanOrEqual(TIMEOUT - 5);
      expect(first.ms).toBeLessThan(TIMEOUT + SLACK + stalls());
      const second = await timed(store.compareAndSet('checkout', 'u', 0, record('legacy', 1)));
      expect((second.error as RedisStoreError).code).toBe('STORE_UNAVAILABLE');
      expect(second.ms).toBeLessThan(FAST + stalls());
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      await store.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('rejects at once on a port with nothing listening, and keeps rejecting fast', async () => {
    const port = await freePort();
    const stalls = watchStalls();
    const store = new RedisStateStore({ url: `redis://127.0.0.1:${port}`, timeoutMs: TIMEOUT });
    try {
      const first = await timed(store.get('checkout', 'u'));
      expect(first.error).toBeInstanceOf(RedisStoreError);
      expect(first.ms).toBeLessThan(TIMEOUT + SLACK + stalls());
      for (const call of [
        (): Promise<unknown> => store.get('checkout', 'u') as Promise<unknown>,
        () => store.compareAndSet('checkout', 'u', 0, record('legacy', 1)),
        () => store.size(),
      ]) {
        const t = await timed(call());
        expect((t.error as RedisStoreError).code).toBe('STORE_UNAVAILABLE');
        expect((t.error as Error).message).toMatch(
          /Redis unavailable: no connection \(status \w+, last error: .*ECONNREFUSED/,
        );
        expect(t.ms).toBeLessThan(FAST + stalls());
      }
      expect(store.healthy).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('enforce mode: the provider serves targeting, marked store_unavailable', async () => {
    const port = await freePort();
    const stalls = watchStalls();
    const store = new RedisStateStore({ url: `redis://127.0.0.1:${port}`, timeoutMs: TIMEOUT });
    const audit = createAuditLog({ sinks: [memorySink()] });
    const document = servingDocument('v2', { ...MACHINE, enforcement: 'enforce' });
    const errors = captureEvaluationLogs();
    const provider = new StateMachineProvider({ source: document, store, audit });
    await OpenFeature.setProviderAndWait('unreachable-enforce', provider);
    const client = OpenFeature.getClient('unreachable-enforce');
    try {
      for (let i = 0; i < 10; i++) {
        const t = await timed(client.getStringDetails('checkout', 'fallback', { targetingKey: `user-${i}` }));
        expect(t.ms).toBeLessThan(TIMEOUT + SLACK + stalls());
        const d = t.value!;
        expect(d.errorCode).toBeUndefined();
        expect(d.variant).toBe('v2'); // what targeting asks, although the store cannot say it is reachable
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
