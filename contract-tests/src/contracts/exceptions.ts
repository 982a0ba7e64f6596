import type { AuditRecord } from '@flagstate/audit';
import { checkoutMachine, type Otel, points, setupOtel } from '@flagstate/test-kit';
import { ProviderEvents } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outageStore } from '../outage-store.js';
import { racingStore } from '../racing-store.js';
import { type Run, withRun } from '../run.js';
import type { ContractSetup } from '../setup.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Contract 4, exceptions: illegal, held, migration, stale and race records each appear when
 * their cause is provoked, each is counted in `flagstate.transitions`, and the caller always
 * gets a normal value: no hook error reaches it.
 */
export function exceptionsContract(setup: ContractSetup): void {
  describe(`contract 4, exceptions: ${setup.name}`, () => {
    let otel: Otel;
    beforeEach(() => {
      otel = setupOtel();
    });
    afterEach(async () => {
      await otel.shutdown();
    });

    /** Evaluates, insisting the caller got a real value, never the fallback or an error. */
    const evaluate = async (run: Run, subject: string) => {
      const d = await run.client.getStringDetails('checkout', 'fallback', { targetingKey: subject });
      expect(d.errorCode).toBeUndefined();
      expect(d.value).not.toBe('fallback');
      return d;
    };
    const counted = async (action: string) => {
      const metric = (await otel.metrics()).get('flagstate.transitions');
      return points(metric)
        .filter(([attrs]) => attrs['flagstate.action'] === action)
        .reduce((n, [, v]) => n + Number(v), 0);
    };
    const withAction = (records: AuditRecord[], action: string) =>
      records.filter((r) => r.event.action === action);

    it('illegal: a move the machine forbids is served, recorded as illegal, and counted', async () => {
      await withRun(setup, {}, async (run) => {
        await evaluate(run, 'u');
        await run.retarget(new Map([['u', 'v2']]));
        expect((await evaluate(run, 'u')).value).toBe('new-flow');
        const [illegal] = withAction(await run.records(), 'state-transition-illegal');
        expect(illegal!.state_change).toMatchObject({ from: 'legacy', to: 'v2', reason: 'not_allowed' });
        expect(await counted('state-transition-illegal')).toBe(1);
      });
    });

    it.skipIf(!setup.canHold)(
      'held: a subject held back by the bake time is recorded once and counted',
      async () => {
        let now = Date.UTC(2026, 10, 23);
        await withRun(setup, { enforcement: 'enforce', clock: { now: () => now } }, async (run) => {
          await evaluate(run, 'u');
          await run.retarget(new Map([['u', 'v2']]));
          now += 1_000;
          expect((await evaluate(run, 'u')).variant).toBe('canary'); // stepped toward v2
          now += 1_000;
          expect((await evaluate(run, 'u')).variant).toBe('canary'); // held: canary bakes for 1h
          expect((await evaluate(run, 'u')).variant).toBe('canary');
          const held = withAction(await run.records(), 'state-transition-held');
          expect(held).toHaveLength(1);
          expect(held[0]!.state_change).toMatchObject({ to: 'canary', pending: 'v2', reason: 'min_dwell' });
          expect(await counted('state-transition-held')).toBe(1);
        });
      },
    );

    it('migration: a machine version bump migrates the subject at its next evaluation', async () => {
      let now = Date.UTC(2026, 10, 23);
      await withRun(setup, { clock: { now: () => now } }, async (run) => {
        await run.retarget(new Map([['u', 'canary']]));
        await evaluate(run, 'u');
        await run.redefine({
          ...checkoutMachine(),
          version: 2,
          migrations: [{ fromVersion: 1, states: { canary: 'legacy' } }],
        });
        now += 2 * HOUR;
        await evaluate(run, 'u');
        const [migration] = withAction(await run.records(), 'state-migration');
        expect(migration!.state_change).toMatchObject({ from: 'canary', to: 'legacy', machine_version: 2 });
        expect(await counted('state-migration')).toBe(1);
      });
    });

    it('stale: a stay beyond maxDwell is reported once and counted', async () => {
      let now = Date.UTC(2026, 10, 23);
      await withRun(setup, { clock: { now: () => now } }, async (run) => {
        await run.retarget(new Map([['u', 'v2']]));
        await evaluate(run, 'u');
        now += 91 * DAY;
        await evaluate(run, 'u');
        await evaluate(run, 'u');
        const stale = withAction(await run.records(), 'state-stale');
        expect(stale).toHaveLength(1);
        expect(stale[0]!.state_change).toMatchObject({ to: 'v2', reason: 'max_dwell' });
        expect(await counted('state-stale')).toBe(1);
      });
    });

    it.skipIf(!setup.canHold)(
      'store outage: enforcement never serves an unchecked move, the provider goes stale and ready again, and the audit says how many it could not enforce',
      async () => {
        let down = false;
        await withRun(
          setup,
          { enforcement: 'enforce', wrapStore: (s) => outageStore(s, () => down) },
          async (run) => {
            const events: string[] = [];
            for (const e of [ProviderEvents.Stale, ProviderEvents.Ready])
              run.client.addHandler(e, () => events.push(e));
            await run.retarget(new Map([['known', 'canary']]));
            await evaluate(run, 'known'); // enters canary
            await run.retarget(
              new Map([
                ['known', 'v2'],
                ['stranger', 'v2'],
              ]),
            );
            down = true;
            const during = [];
            for (const subject of ['known', 'stranger', 'known']) {
              during.push(
                await run.client.getStringDetails('checkout', 'fallback', { targetingKey: subject }),
              );
            }
            for (const d of during) {
              // The state last served (canary's value) or the caller's default: never v2 unchecked.
              expect(d.variant).not.toBe('v2');
              expect(d.flagMetadata['flagstate.held']).toBe('store_unavailable');
            }
            expect(during[1]).toMatchObject({ value: 'fallback', reason: 'ERROR' });
            down = false;
            await evaluate(run, 'known');
            // (A READY handler also runs once when it is added to a ready client.)
            expect(events.slice(events.indexOf(ProviderEvents.Stale))).toEqual([
              ProviderEvents.Stale,
              ProviderEvents.Ready,
            ]);
            const [evidence, ...more] = withAction(await run.records(), 'enforcement-suspended');
            expect(more).toEqual([]);
            expect(evidence!.audit.suspension).toMatchObject({
              machine: 'checkout',
              reason: 'store_unavailable',
              policy: 'hold',
              evaluations: 3,
            });
            const suspended = points((await otel.metrics()).get('flagstate.enforcement.suspended'));
            expect(suspended.reduce((n, [, v]) => n + Number(v), 0)).toBe(3);
            // Nothing was observed while the store was down: no state record speaks of v2.
            expect((await run.records()).filter((r) => r.state_change?.to === 'v2')).toEqual([]);
          },
        );
      },
    );

    it('race: two evaluations writing one subject at once report the lost race, and both callers are served', async () => {
      await withRun(setup, { wrapStore: racingStore }, async (run) => {
        await run.retarget(new Map([['racer', 'canary']]));
        await Promise.all([evaluate(run, 'racer'), evaluate(run, 'racer')]);
        const records = await run.records();
        const [race] = withAction(records, 'state-race');
        expect(race!.state_change).toMatchObject({
          subject: 'racer',
          reason: 'lost_compare_and_set',
          subject_version: 1,
        });
        expect(withAction(records, 'state-init')).toHaveLength(1);
        expect(await counted('state-race')).toBe(1);
      });
    });
  });
}
