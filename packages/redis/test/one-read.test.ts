// In enforce mode the provider reads a subject's record to decide what to serve, and its hook
// then observes what was served through the same store. With Redis that second read would be a
// second round trip: the provider hands its read over, so an enforced evaluation reads once.
import { createAuditLog, memorySink } from '@flagstate/audit';
import { StateMachineProvider } from '@flagstate/provider';
import { RedisStateStore } from '@flagstate/redis';
import { checkoutDocument, RedisServer, redisUnavailable } from '@flagstate/test-kit';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilHealthy } from './support/timing.js';

const skip = redisUnavailable({ ownServer: true });
describe.skipIf(skip !== undefined)(
  `enforced evaluations on Redis${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: RedisServer;
    beforeAll(async () => {
      server = await RedisServer.start();
    });
    afterAll(() => server?.dispose());

    it('read each subject once per evaluation: the hook takes the record the provider read', async () => {
      const store = new RedisStateStore({ url: server.url, timeoutMs: 5_000, nearCache: 'off' });
      const sink = memorySink();
      const audit = createAuditLog({ sinks: [sink], checkpointEvery: 0 });
      const provider = new StateMachineProvider({ source: checkoutDocument(), store, audit });
      await OpenFeature.setProviderAndWait('one-read', provider);
      const client = OpenFeature.getClient('one-read');
      /** HGETALLs Redis has run since the last reset (INFO commandstats). */
      const reads = async () => {
        const info = (await store.client.info('commandstats')) as string;
        return Number(/cmdstat_hgetall:calls=(\d+)/.exec(info)?.[1] ?? 0);
      };
      try {
        await untilHealthy(store);
        const subjects = Array.from({ length: 20 }, (_, i) => `user-${i}`);
        for (const s of subjects)
          await client.getStringValue('checkout', 'x', { targetingKey: s, want: 'canary' });
        await store.client.config('RESETSTAT');
        // Steady, a hold (v2 within canary's bake time), then steady again: every kind of read.
        for (const want of ['canary', 'v2', 'v2']) {
          for (const s of subjects) {
            const d = await client.getStringDetails('checkout', 'x', { targetingKey: s, want });
            expect(d.variant).toBe('canary');
          }
        }
        expect(await reads()).toBe(3 * subjects.length);
        // And the records are what two reads would have written: one hold per subject.
        await audit.flush();
        const holds = sink.records.filter((r) => r.event.action === 'state-transition-held');
        expect(holds.map((r) => r.state_change!.subject).sort()).toEqual([...subjects].sort());
        expect(provider.hook.stats()).toMatchObject({ failures: 0 });
      } finally {
        await OpenFeature.clearProviders();
        await audit.close();
        await store.close();
      }
    });
  },
);
