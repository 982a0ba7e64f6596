// Redis stops (SIGTERM) and restarts on the same port in the middle of a run: evaluations keep
// answering within the timeout, nothing false is recorded, and once Redis is back the
// contracts hold again for subjects first seen after the recovery.
import { type AuditRecord, replayAudit } from '@flagstate/audit';
import { storeSnapshot } from '@flagstate/core';
import { points, RedisServer, redisUnavailable, setupOtel } from '@flagstate/test-kit';
import { ProviderEvents } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionProblems, writesBySubject } from './support/audit-checks.js';
import { phaseDocument } from './support/phase-documents.js';
import { uniquePrefix } from './support/test-stores.js';
import { untilHealthy, watchStalls } from './support/timing.js';
import { twinFlagstates } from './support/twin-flagstates.js';

const TIMEOUT = 200;
const SLACK = 100; // scheduling noise, on top of the event loop's measured stalls

const skip = redisUnavailable({ ownServer: true });
describe.skipIf(skip !== undefined)(
  `Redis stops and restarts mid-run${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: RedisServer;
    beforeAll(async () => {
      server = await RedisServer.start();
    });
    afterAll(() => server?.dispose());

    it('evaluations keep answering; after recovery, new subjects satisfy the contracts again', async () => {
      const otel = setupOtel();
      const twins = await twinFlagstates(server.url, uniquePrefix('fault'), TIMEOUT);
      const { store, enforceStore, source, provider, evaluations, batch } = twins;
      const runWhile = async (phase: string, busy: () => boolean, maxMs: number) => {
        const end = Date.now() + maxMs;
        while (busy()) {
          if (Date.now() > end) throw new Error(`${phase}: still going after ${maxMs} ms`);
          await batch(phase);
          // Failing fast settles in microtasks only: let timers and I/O (the restart) run.
          await new Promise((resolve) => setImmediate(resolve));
        }
      };

      try {
        await untilHealthy(store);
        await untilHealthy(enforceStore);
        const stalls = watchStalls();
        for (let i = 0; i < 10; i++) await batch('before');

        // SIGTERM while evaluations run, then a stretch with Redis gone.
        let stopped = false;
        const stopping = server.stop().then(() => {
          stopped = true;
        });
        await runWhile('stopping', () => !stopped, 10_000);
        await stopping;
        const failuresBefore = provider.hook.stats().failures;
        const outageEnd = Date.now() + 600;
        await runWhile('outage', () => Date.now() < outageEnd, 5_000);
        const outage = evaluations.filter((e) => e.phase === 'outage').length / 2;
        expect(outage).toBeGreaterThan(0);
        // Every evaluation during the outage answered, and the hook counted each lost observation.
        expect(provider.hook.stats().failures - failuresBefore).toBe(outage);
        console.info(`fault: ${outage} evaluations (per replica) ran while Redis was down`);

        // Restart on the same port (an empty dataset: no persistence), evaluating all along.
        const restartedAt = Date.now();
        let restarted = false;
        const restarting = server.restart().then(() => {
          restarted = true;
        });
        await runWhile('recovering', () => !(restarted && store.healthy && enforceStore.healthy), 10_000);
        await restarting;
        console.info(
          `fault: evaluations recorded again ${Date.now() - restartedAt} ms after the restart began`,
        );

        // After recovery: new subjects, targeting changes, the usual guarantees.
        for (const doc of [1, 2, 3, 4]) {
          source.update(phaseDocument(doc));
          for (let i = 0; i < 5; i++) await batch('after');
        }

        for (const e of evaluations) {
          if (e.held === 'store_unavailable') {
            // Enforce mode without its store: the state last served, else the caller's default
            // (whenUndecided: "hold"), never targeting's answer unchecked.
            if (e.value === 'fallback') expect(e.errorCode).toBe('GENERAL');
            else expect(e.errorCode).toBeUndefined();
          } else {
            expect(e.value, `${e.phase}: got the caller's default`).not.toBe('fallback');
            expect(e.errorCode).toBeUndefined();
          }
          expect(e.ms, `${e.phase}: took ${e.ms} ms`).toBeLessThan(TIMEOUT + SLACK + stalls());
        }
        const held = (phase: string) => evaluations.filter((e) => e.phase === phase && e.held !== undefined);
        expect(held('outage').length).toBe(outage);
        expect(held('outage').every((e) => e.held === 'store_unavailable')).toBe(true);
        expect(held('after').filter((e) => e.held === 'store_unavailable')).toEqual([]);

        // The enforcing replica went stale with the store and ready with it again, and its
        // audit stream says how many evaluations it served unenforced, by which policy.
        expect(twins.enforcerEvents.slice(0, 2)).toEqual([ProviderEvents.Stale, ProviderEvents.Ready]);
        const evidence = (await twins.enforcerRecords()).filter(
          (r) => r.event.action === 'enforcement-suspended',
        );
        const undecided = evaluations.filter((e) => e.held === 'store_unavailable').length;
        expect(evidence.reduce((n, r) => n + r.audit.suspension!.evaluations, 0)).toBe(undecided);
        expect(evidence.every((r) => r.audit.suspension!.policy === 'hold')).toBe(true);
        expect(points((await otel.metrics()).get('flagstate.enforcement.suspended'))).toEqual([
          [
            {
              'flagstate.machine': 'checkout',
              'flagstate.reason': 'store_unavailable',
              'flagstate.policy': 'hold',
            },
            undecided,
          ],
        ]);

        const records = await twins.records();
        const subjectOf = (r: AuditRecord) => r.state_change?.subject ?? '';
        expect(records.filter((r) => subjectOf(r).startsWith('outage-'))).toEqual([]); // nothing false
        const after = records.filter((r) => subjectOf(r).startsWith('after-'));
        expect(after.some((r) => r.event.action === 'state-transition')).toBe(true);
        const bySubject = writesBySubject(after);
        expect(bySubject.size).toBe(50);
        expect(versionProblems(bySubject)).toEqual([]);
        const replay = replayAudit(after);
        expect(replay.conflicts).toEqual([]);
        const snapshot = await storeSnapshot(store);
        expect(replay.states).toEqual(snapshot.filter((s) => s.subject.startsWith('after-')));
        // The restart lost what Redis held before it: those records now disagree with Redis.
        expect(records.some((r) => subjectOf(r).startsWith('before-'))).toBe(true);
        expect(snapshot.filter((s) => s.subject.startsWith('before-'))).toEqual([]);
      } finally {
        await twins.close();
        await otel.shutdown();
      }
    }, 40_000);
  },
);
