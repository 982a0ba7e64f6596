import { replayAudit, storeSnapshot } from '@flagstate/core';
import { describe, expect, it } from 'vitest';
import { STATES } from '../machine.js';
import { seeded, startRun, versionsBySubject } from '../run.js';
import type { ContractSetup } from '../setup.js';

const SUBJECTS = 200;
const EVALUATIONS = 20_000;
const BATCH = 250;

/**
 * Contract 1, state consistency: under concurrent evaluations with targeting changing during
 * the run, replaying the audit stream rebuilds the store exactly, and every subject's
 * `subject_version` runs 1, 2, 3… with no gap and no duplicate.
 */
export function stateConsistencyContract(setup: ContractSetup): void {
  describe(`contract 1, state consistency: ${setup.name}`, () => {
    it(`${SUBJECTS} subjects, ${EVALUATIONS} concurrent evaluations, retargeted during the run`, async () => {
      const random = seeded(1);
      let now = Date.UTC(2026, 10, 23);
      const run = await startRun(setup, { clock: { now: () => now } });
      const subjects = Array.from({ length: SUBJECTS }, (_, i) => `user-${i}`);
      const retarget = () =>
        run.retarget(new Map(subjects.map((s) => [s, STATES[Math.floor(random() * 3)]!] as const)));
      try {
        await retarget();
        for (let done = 0, round = 0; done < EVALUATIONS; done += BATCH, round++) {
          if (round % 8 === 7) await retarget();
          now += 20 * 60_000; // bake times pass, so legal moves happen as well as illegal ones
          const batch = Array.from({ length: BATCH }, () => subjects[Math.floor(random() * SUBJECTS)]!);
          const values = await Promise.all(
            batch.map((s) => run.client.getStringValue('checkout', 'fallback', { targetingKey: s })),
          );
          expect(values).not.toContain('fallback');
        }
        const records = await run.records();
        const replay = replayAudit(records);
        expect(replay.conflicts).toEqual([]);
        expect(replay.states).toEqual(await storeSnapshot(run.store));
        expect(replay.states.length).toBe(SUBJECTS);
        const versions = versionsBySubject(records);
        expect(versions.size).toBe(SUBJECTS);
        for (const list of versions.values()) expect(list).toEqual(list.map((_, i) => i + 1));
        const actions = new Set(records.map((r) => r.event.action));
        expect(actions).toContain('state-transition');
        expect(actions).toContain('state-transition-illegal');
      } finally {
        await run.close();
      }
    }, 120_000);
  });
}
