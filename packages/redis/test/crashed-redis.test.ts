// Redis fails under load, in two ways: SIGKILL and a restart on the same port and directory
// (with an append-only file fsync'ed on every write), and SIGSTOP then SIGCONT (connections
// open, nothing answering). While it is gone, the enforcing provider serves by its policy,
// goes stale, counts and records the evaluations it could not enforce, and none of them waits
// past timeoutMs. Once Redis is back with its data, every subject is where it was: held
// subjects stay held by their bake time, versions continue, and replay equals the store.
import { type AuditRecord, createAuditLog, memorySink, replayAudit } from '@flagstate/audit';
import { storeSnapshot } from '@flagstate/core';
import { StateMachineProvider } from '@flagstate/provider';
import { RedisStateStore } from '@flagstate/redis';
import {
  checkoutDocument,
  type Otel,
  points,
  RedisServer,
  redisUnavailable,
  setupOtel,
} from '@flagstate/test-kit';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from './support/test-stores.js';
import { untilHealthy, watchStalls } from './support/timing.js';

const TIMEOUT = 200;
const SLACK = 100; // scheduling noise, on top of the event loop's measured stalls
const SUBJECTS = Array.from({ length: 40 }, (_, i) => `user-${i}`);

const skip = redisUnavailable({ ownServer: true });
describe.skipIf(skip !== undefined)(
  `Redis with AOF killed or frozen under load${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: RedisServer;
    let otel: Otel;
    beforeAll(async () => {
      server = await RedisServer.start({ persistence: 'aof' });
    });
    afterEach(() => otel?.shutdown());
    afterAll(() => server?.dispose());

    const faults = {
      'SIGKILL, then a restart that reloads the AOF': {
        interrupt: () => server.kill(),
        recover: () => server.restart(),
      },
      'SIGSTOP, then SIGCONT': {
        interrupt: async () => server.pause(),
        recover: async () => server.resume(),
      },
    };
    for (const [fault, { interrupt, recover }] of Object.entries(faults)) {
      it(`${fault}: serves by policy with evidence meanwhile, and holds every subject where it was after`, async () => {
        otel = setupOtel();
        const store = new RedisStateStore({
          url: server.url,
          keyPrefix: uniquePrefix('killed'),
          timeoutMs: TIMEOUT,
        });
        const sink = memorySink();
        const audit = createAuditLog({ sinks: [sink], checkpointEvery: 0 });
        const provider = new StateMachineProvider({
          source: checkoutDocument(),
          store,
          audit,
          logger: { error() {}, warn() {}, info() {}, debug() {} },
          suspensionWindowMs: 200,
        });
        const events: string[] = [];
        await OpenFeature.setProviderAndWait(fault, provider);
        // Registered once ready: the events of the outage, not of initialisation.
        for (const e of [ProviderEvents.Stale, ProviderEvents.Ready, ProviderEvents.Error]) {
          provider.events.addHandler(e, () => events.push(e));
        }
        const client = OpenFeature.getClient(fault);
        const served: Array<{
          phase: string;
          subject: string;
          ms: number;
          variant?: string;
          error?: string;
          held: unknown;
        }> = [];
        const evaluate = async (phase: string, subject: string, want: string) => {
          const started = performance.now();
          const d = await client.getStringDetails('checkout', 'fallback', { targetingKey: subject, want });
          served.push({
            phase,
            subject,
            ms: performance.now() - started,
            ...(d.variant === undefined ? {} : { variant: d.variant }),
            ...(d.errorCode === undefined ? {} : { error: d.errorCode }),
            held: d.flagMetadata['flagstate.held'],
          });
        };
        const round = (phase: string, want: string, subjects = SUBJECTS) =>
          Promise.all(subjects.map((s) => evaluate(phase, s, want)));

        try {
          await untilHealthy(store);
          await round('legacy', 'legacy');
          await round('canary', 'canary'); // legacy → canary: the 1 h bake time starts
          await round('held', 'v2'); // held in canary by min_dwell
          const before = await storeSnapshot(store);
          expect(before.map((s) => s.state)).toEqual(SUBJECTS.map(() => 'canary'));
          const stalls = watchStalls();

          // The fault while rounds are in flight, then a stretch with Redis gone.
          let killed = false;
          const killing = interrupt().then(() => {
            killed = true;
          });
          while (!killed) {
            await round('killing', 'v2');
            // Failing fast settles in microtasks only: let I/O (the child's exit) run.
            await new Promise((r) => setImmediate(r));
          }
          await killing;
          const outageEnd = Date.now() + 600;
          while (Date.now() < outageEnd) {
            await round('outage', 'v2');
            await round('outage', 'v2', ['stranger']); // never served before: nothing to hold
            await new Promise((r) => setImmediate(r));
          }
          expect(events).toEqual([ProviderEvents.Stale]);

          await recover();
          await untilHealthy(store);
          await round('after', 'v2'); // the first answered evaluation sends READY
          expect(events).toEqual([ProviderEvents.Stale, ProviderEvents.Ready]);

          for (const e of served)
            expect(e.ms, `${e.phase}: took ${e.ms} ms`).toBeLessThan(TIMEOUT + SLACK + stalls());
          const undecided = served.filter((e) => e.held === 'store_unavailable');
          expect(undecided.length).toBeGreaterThan(SUBJECTS.length);
          for (const e of undecided) {
            // Policy hold: a subject served before keeps its state; the stranger gets the default.
            if (e.subject === 'stranger') expect(e).toMatchObject({ error: 'GENERAL' });
            else expect(e).toMatchObject({ variant: 'canary' });
            expect(e.variant).not.toBe('v2');
          }
          // Nothing in any phase served v2: the bake time held through the crash and the restart.
          expect(served.filter((e) => e.variant === 'v2')).toEqual([]);
          expect(served.filter((e) => e.phase === 'after').every((e) => e.held === 'min_dwell')).toBe(true);
          expect(await storeSnapshot(store)).toEqual(before);

          // The metric and the audit evidence count exactly the evaluations served unenforced.
          const suspended = points((await otel.metrics()).get('flagstate.enforcement.suspended'));
          expect(suspended).toEqual([
            [
              {
                'flagstate.machine': 'checkout',
                'flagstate.reason': 'store_unavailable',
                'flagstate.policy': 'hold',
              },
              undecided.length,
            ],
          ]);
          await provider.onClose();
          const records = sink.records as readonly AuditRecord[];
          const evidence = records.filter((r) => r.event.action === 'enforcement-suspended');
          expect(evidence.reduce((n, r) => n + r.audit.suspension!.evaluations, 0)).toBe(undecided.length);
          expect(evidence.every((r) => r.audit.suspension!.policy === 'hold')).toBe(true);
          const servedBy = (name: string) =>
            evidence.reduce((n, r) => n + (r.audit.suspension!.served[name] ?? 0), 0);
          expect(servedBy('canary')).toBe(undecided.filter((e) => e.subject !== 'stranger').length);
          expect(servedBy('(default)')).toBe(undecided.filter((e) => e.subject === 'stranger').length);

          // Per subject: one state-init, the move to canary, and one held record (its pending v2),
          // which the restart did not make anyone write again; replay equals Redis.
          const writes = records.filter(
            (r) => r.state_change !== undefined && r.event.action !== 'state-race',
          );
          for (const s of SUBJECTS) {
            const mine = writes.filter((r) => r.state_change!.subject === s);
            expect(mine.map((r) => [r.event.action, r.state_change!.subject_version])).toEqual([
              ['state-init', 1],
              ['state-transition', 2],
              ['state-transition-held', 3],
            ]);
          }
          const replay = replayAudit(records);
          expect(replay.conflicts).toEqual([]);
          expect(replay.states).toEqual(before);
        } finally {
          await OpenFeature.clearProviders();
          await store.close();
        }
      }, 60_000);
    }
  },
);
