// Redis unreachable (nothing listening, or a server that never answers): every call rejects
// within timeoutMs, later calls fail at once, and evaluations through the provider go on.
import { createServer, type Socket } from 'node:net';
import { createAuditLog, memorySink } from '@flagstate/audit';
import { StateMachineProvider } from '@flagstate/provider';
import { RedisStateStore, RedisStoreError } from '@flagstate/redis';
import { freePort, points, setupOtel } from '@flagstate/test-kit';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { describe, expect, it } from 'vitest';
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

  for (const endpoint of ['nothing listening', 'a black hole (accepts, never answers)'] as const) {
    it(`enforce mode, ${endpoint}: the provider holds to its policy, goes stale, counts and leaves evidence, within timeoutMs`, async () => {
      const otel = setupOtel();
      const sockets: Socket[] = [];
      const hole = createServer((socket) => sockets.push(socket));
      let port: number;
      if (endpoint === 'nothing listening') port = await freePort();
      else {
        await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
        port = (hole.address() as { port: number }).port;
      }
      const stalls = watchStalls();
      const store = new RedisStateStore({ url: `redis://127.0.0.1:${port}`, timeoutMs: TIMEOUT });
      const sink = memorySink();
      const audit = createAuditLog({ sinks: [sink] });
      const document = servingDocument('v2', { ...MACHINE, enforcement: 'enforce' });
      const provider = new StateMachineProvider({ source: document, store, audit });
      const stale: string[] = [];
      provider.events.addHandler(ProviderEvents.Stale, (e) => stale.push(String(e?.message)));
      await OpenFeature.setProviderAndWait(`unreachable-enforce-${port}`, provider);
      const client = OpenFeature.getClient(`unreachable-enforce-${port}`);
      try {
        for (let i = 0; i < 10; i++) {
          const t = await timed(
            client.getStringDetails('checkout', 'fallback', { targetingKey: `user-${i}` }),
          );
          expect(t.ms).toBeLessThan(TIMEOUT + SLACK + stalls());
          const d = t.value!;
          // Never served before, so nothing to hold them in: the caller's default, never v2 unchecked.
          expect(d).toMatchObject({ value: 'fallback', reason: 'ERROR', errorCode: 'GENERAL' });
          expect(d.flagMetadata['flagstate.held']).toBe('store_unavailable');
        }
        expect(stale).toHaveLength(1);
        expect(stale[0]).toMatch(/^state store unavailable, enforcement of machine "checkout" suspended/);
        // The hook did not try the store again for what the provider could not decide.
        expect(provider.hook.stats()).toMatchObject({ failures: 0, undecided: 0 });
        expect(points((await otel.metrics()).get('flagstate.enforcement.suspended'))).toEqual([
          [
            {
              'flagstate.machine': 'checkout',
              'flagstate.reason': 'store_unavailable',
              'flagstate.policy': 'hold',
            },
            10,
          ],
        ]);
        await provider.onClose();
        await audit.flush();
        const evidence = sink.records.filter((r) => r.event.action === 'enforcement-suspended');
        expect(evidence.map((r) => r.audit.suspension)).toMatchObject([
          {
            machine: 'checkout',
            reason: 'store_unavailable',
            policy: 'hold',
            evaluations: 10,
            served: { '(default)': 10 },
          },
        ]);
        if (endpoint !== 'nothing listening') expect(sockets.length).toBeGreaterThan(0);
      } finally {
        await OpenFeature.clearProviders();
        await audit.close();
        await store.close();
        for (const socket of sockets) socket.destroy();
        if (hole.listening) await new Promise((resolve) => hole.close(resolve));
        await otel.shutdown();
      }
    });
  }
});
