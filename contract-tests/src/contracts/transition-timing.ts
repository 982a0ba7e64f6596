import { STATES } from '@flagstate/test-kit';
import { describe, expect, it } from 'vitest';
import { seeded, withRun } from '../run.js';
import type { ContractSetup } from '../setup.js';

/**
 * Contract 2, transition timing: `event.duration` is positive and no longer than the measured
 * evaluation that produced the record; `dwell_ms` agrees with the timestamps of the subject's
 * previous record; `@timestamp` and `event.sequence` are monotonic within the stream.
 */
export function transitionTimingContract(setup: ContractSetup): void {
  describe(`contract 2, transition timing: ${setup.name}`, () => {
    it('durations, dwell times and ordering agree with what was measured', async () => {
      const random = seeded(2);
      const measured = new Map<number, bigint>(); // event.sequence -> evaluation time, ns
      await withRun(setup, {}, async (run) => {
        for (let i = 0; i < 400; i++) {
          const subject = `user-${i % 25}`;
          if (i % 5 === 0) {
            await run.retarget(
              new Map(
                Array.from(
                  { length: 25 },
                  (_, k) => [`user-${k}`, STATES[Math.floor(random() * 3)]!] as const,
                ),
              ),
            );
          }
          const before = run.audit.stats().sequence;
          const started = process.hrtime.bigint();
          await run.client.getStringValue('checkout', 'fallback', { targetingKey: subject });
          const took = process.hrtime.bigint() - started;
          for (let seq = before + 1; seq <= run.audit.stats().sequence; seq++) measured.set(seq, took);
        }
        const records = await run.records();
        const state = records.filter((r) => r.state_change);
        expect(state.length).toBeGreaterThan(25);
        for (const r of state) {
          expect(r.event.duration).toBeGreaterThan(0);
          expect(BigInt(r.event.duration!)).toBeLessThanOrEqual(measured.get(r.event.sequence!)!);
        }
        const lastEntered = new Map<string, string>();
        for (const r of state) {
          const sc = r.state_change!;
          if (sc.previous_entered_at !== undefined) {
            expect(sc.previous_entered_at).toBe(lastEntered.get(sc.subject));
            expect(sc.dwell_ms).toBe(Date.parse(r['@timestamp']) - Date.parse(sc.previous_entered_at));
          }
          if (sc.entered_at !== undefined) lastEntered.set(sc.subject, sc.entered_at);
        }
        for (let i = 1; i < records.length; i++) {
          expect(records[i]!.event.sequence).toBe(records[i - 1]!.event.sequence! + 1);
          expect(Date.parse(records[i]!['@timestamp'])).toBeGreaterThanOrEqual(
            Date.parse(records[i - 1]!['@timestamp']),
          );
        }
      });
    }, 60_000);
  });
}
