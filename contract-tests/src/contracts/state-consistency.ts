import { type AuditRecord, replayAudit } from '@flagstate/audit';
import { storeSnapshot } from '@flagstate/core';
import { type Otel, points, STATES, setupOtel } from '@flagstate/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { racingStore } from '../racing-store.js';
import { type Run, seeded, versionsBySubject, withRun } from '../run.js';
import type { ContractSetup, SetupOptions } from '../setup.js';

const SUBJECTS = 200;
const EVALUATIONS = 20_000;
const BATCH = 250;

interface Variant {
  readonly name: string;
  readonly options: Omit<SetupOptions, 'audit' | 'clock'>;
  readonly races: boolean;
  readonly holds: boolean;
}

const VARIANTS: readonly Variant[] = [
  { name: 'audit mode, the setup’s store', options: {}, races: false, holds: false },
  {
    name: 'audit mode, reads and writes interleaved',
    options: { wrapStore: racingStore },
    races: true,
    holds: false,
  },
  {
    name: 'enforce mode, reads and writes interleaved',
    options: { wrapStore: racingStore, enforcement: 'enforce' },
    races: true,
    holds: true,
  },
];

/**
 * Contract 1, state consistency: under concurrent evaluations with targeting changing during
 * the run (also while evaluations are in flight), replaying the audit stream rebuilds the store
 * exactly, every subject's `subject_version` runs 1, 2, 3… with no gap and no duplicate, and
 * `flagstate.transitions` counts every record once.
 */
export function stateConsistencyContract(setup: ContractSetup): void {
  describe(`contract 1, state consistency: ${setup.name}`, () => {
    let otel: Otel;
    beforeEach(() => {
      otel = setupOtel();
    });
    afterEach(async () => {
      await otel.shutdown();
    });

    for (const variant of VARIANTS.filter((v) => setup.canHold || !v.holds)) {
      it(`${SUBJECTS} subjects, ${EVALUATIONS} concurrent evaluations, retargeted mid-batch (${variant.name})`, async () => {
        let now = Date.UTC(2026, 10, 23);
        await withRun(setup, { ...variant.options, clock: { now: () => now } }, async (run) => {
          const advance = () => {
            now += 20 * 60_000; // bake times pass, so legal moves happen as well as illegal ones
          };
          await drive(run, advance);
          const records = await run.records();
          await expectConsistent(run, records);
          const count = (action: string) => records.filter((r) => r.event.action === action).length;
          expect(count('state-transition')).toBeGreaterThan(0);
          if (variant.holds) expect(count('state-transition-held')).toBeGreaterThan(0);
          else expect(count('state-transition-illegal')).toBeGreaterThan(0);
          if (variant.races) expect(count('state-race')).toBeGreaterThan(0);
          const counted = points((await otel.metrics()).get('flagstate.transitions')).reduce(
            (n, [, v]) => n + Number(v),
            0,
          );
          expect(counted).toBe(records.filter((r) => r.state_change).length);
        });
      }, 180_000);
    }
  });
}

/** Concurrent batches of evaluations; every eighth batch retargets while it is in flight. */
async function drive(run: Run, advance: () => void): Promise<void> {
  const random = seeded(1);
  const subjects = Array.from({ length: SUBJECTS }, (_, i) => `user-${i}`);
  const retarget = () =>
    run.retarget(new Map(subjects.map((s) => [s, STATES[Math.floor(random() * 3)]!] as const)));
  await retarget();
  for (let done = 0, round = 0; done < EVALUATIONS; done += BATCH, round++) {
    advance();
    const pending: Array<Promise<string>> = [];
    for (let i = 0; i < BATCH; i++) {
      const subject = subjects[Math.floor(random() * SUBJECTS)]!;
      pending.push(run.client.getStringValue('checkout', 'fallback', { targetingKey: subject }));
      if (round % 8 === 7 && i === BATCH / 2) pending.push(retarget().then(() => 'retargeted'));
    }
    expect(await Promise.all(pending)).not.toContain('fallback');
  }
}

/** Replay equals the store; versions run 1..n per subject. */
async function expectConsistent(run: Run, records: AuditRecord[]): Promise<void> {
  const replay = replayAudit(records);
  expect(replay.conflicts).toEqual([]);
  expect(replay.states).toEqual(await storeSnapshot(run.store));
  expect(replay.states.length).toBe(SUBJECTS);
  const versions = versionsBySubject(records);
  expect(versions.size).toBe(SUBJECTS);
  for (const list of versions.values()) expect(list).toEqual(list.map((_, i) => i + 1));
}
