import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditRecord, readAuditFiles, replayAudit, verifyAudit } from '@flagstate/audit';
import { storeSnapshot } from '@flagstate/core';
import { describe, expect, it } from 'vitest';
import type { ContractSetup, DurableHarness } from '../setup.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const SUBJECTS = Array.from({ length: 30 }, (_, i) => `u${i}`);

/**
 * Contract 6, restart, for setups that claim durability: after a graceful stop or a crash,
 * every subject's record is what it was, subjects held by a bake time stay held (which counts
 * from the original entry), versions continue with no second `state-init`, the chain verifies
 * across both lifetimes without `--allow-open`, and replaying the files equals the store.
 */
export function restartContract(setup: ContractSetup): void {
  describe(`contract 6, restart: ${setup.name}`, () => {
    const support = setup.restart;
    if (support === undefined) {
      it.skip(`does not claim durability: ${setup.notDurable ?? 'no reason given'}`, () => undefined);
      return;
    }
    for (const stop of ['graceful', 'crash'] as const) {
      it(`after a ${stop} stop, every subject is where it was, and the history is one verifiable chain`, async () => {
        let now = T0;
        const clock = { now: () => now };
        let dir = mkdtempSync(join(tmpdir(), 'flagstate-contract-restart-'));
        const evaluateAll = async (h: DurableHarness) => {
          const out = new Map<string, { variant: string | undefined; held: unknown }>();
          for (const s of SUBJECTS) {
            const d = await h.client.getStringDetails('checkout', 'fallback', { targetingKey: s });
            expect(d.errorCode).toBeUndefined();
            out.set(s, { variant: d.variant, held: d.flagMetadata['flagstate.held'] });
          }
          return out;
        };

        const first = await support.open(dir, { clock, enforcement: 'enforce' });
        await evaluateAll(first); // legacy
        await first.retarget(new Map(SUBJECTS.map((s) => [s, 'canary'])));
        await evaluateAll(first); // canary, entered at T0
        now += 10 * MINUTE;
        await first.retarget(new Map(SUBJECTS.map((s) => [s, 'v2'])));
        const heldBefore = await evaluateAll(first);
        for (const s of SUBJECTS) expect(heldBefore.get(s)).toEqual({ variant: 'canary', held: 'min_dwell' });
        const before = await storeSnapshot(first.store);

        if (stop === 'graceful') await first.close();
        else {
          // What a crash after the last batch leaves: the files as they are, never closed.
          first.flushSync();
          const crashed = mkdtempSync(join(tmpdir(), 'flagstate-contract-crashed-'));
          cpSync(dir, crashed, { recursive: true });
          await first.close();
          dir = crashed;
        }

        now += 20 * MINUTE; // 30 minutes into the 1 h bake time
        const second = await support.open(dir, { clock, enforcement: 'enforce' });
        expect(await storeSnapshot(second.store)).toEqual(before);
        await second.retarget(new Map(SUBJECTS.map((s) => [s, 'v2'])));
        const heldAfter = await evaluateAll(second);
        for (const s of SUBJECTS) expect(heldAfter.get(s)).toEqual({ variant: 'canary', held: 'min_dwell' });
        now += 31 * MINUTE; // 61 minutes after the original entry, 31 after the restart
        const promoted = await evaluateAll(second);
        for (const s of SUBJECTS) expect(promoted.get(s)?.variant).toBe('v2');
        await second.close();

        // Listed after the close: its closing checkpoint may rotate the files once more.
        const entries = readAuditFiles(second.auditFiles());
        const report = verifyAudit(entries);
        expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
        const records = entries.map((e) => e.record as AuditRecord);
        const streams = [...new Set(records.map((r) => r.audit.stream))];
        expect(streams.length).toBeGreaterThanOrEqual(2);
        const secondStream = records.find((r) => r.audit.previous !== undefined)!;
        expect(secondStream.event.sequence).toBe(1);
        if (stop === 'crash') {
          expect(records.some((r) => r.audit.checkpoint?.sealed?.by === secondStream.audit.stream)).toBe(
            true,
          );
        }
        for (const s of SUBJECTS) {
          const mine = records.filter(
            (r) => r.state_change?.subject === s && r.event.action !== 'state-race',
          );
          expect(mine.filter((r) => r.event.action === 'state-init')).toHaveLength(1);
          expect(mine.map((r) => r.state_change!.subject_version)).toEqual(mine.map((_, i) => i + 1));
          expect(mine.at(-1)!.state_change).toMatchObject({
            from: 'canary',
            to: 'v2',
            dwell_ms: 61 * MINUTE,
          });
        }

        const third = await support.open(dir, { clock });
        try {
          const replayed = replayAudit(readAuditFiles(third.auditFiles()));
          expect(replayed.conflicts).toEqual([]);
          expect(await storeSnapshot(third.store)).toEqual(replayed.states);
        } finally {
          await third.close();
        }
      });
    }
  });
}
