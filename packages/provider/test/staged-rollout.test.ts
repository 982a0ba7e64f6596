import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditRecord, createAuditLog, memorySink } from '@flagstate/audit';
import { fileSource, StateMachineProvider } from '@flagstate/provider';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterAll, describe, expect, it } from 'vitest';

const HOUR = 3_600_000;
const SUBJECTS = Array.from({ length: 2_000 }, (_, i) => `user-${i}`);

/** Rolls v2 out to `percent` of subjects by flagd's `fractional`, through canary with a 1h bake. */
function rollout(percent: number) {
  return {
    flags: {
      checkout: {
        state: 'ENABLED',
        variants: { legacy: 'legacy-flow', canary: 'new-flow', v2: 'new-flow' },
        defaultVariant: 'legacy',
        targeting: {
          fractional: [
            ['legacy', 100 - percent],
            ['v2', percent],
          ],
        },
      },
    },
    machines: {
      checkout: {
        version: 1,
        flags: ['checkout'],
        initial: 'legacy',
        enforcement: 'enforce',
        states: { legacy: {}, canary: { minDwell: '1h' }, v2: {} },
        transitions: [
          { from: 'legacy', to: 'canary', name: 'start-canary' },
          { from: 'canary', to: 'v2', name: 'promote' },
          { from: ['canary', 'v2'], to: 'legacy', name: 'rollback' },
        ],
      },
    },
  };
}

afterAll(async () => {
  await OpenFeature.close();
});

describe('a staged rollout by editing the watched file', () => {
  it('moves 2,000 subjects 0% -> 10% -> 50% -> 100% through canary, never early, never skipping', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'flagstate-rollout-')), 'flags.json');
    writeFileSync(path, JSON.stringify(rollout(0)));
    let now = Date.UTC(2026, 10, 23);
    const sink = memorySink();
    const audit = createAuditLog({ sinks: [sink], checkpointEvery: 0 });
    const provider = new StateMachineProvider({
      source: fileSource(path, { debounceMs: 20 }),
      audit,
      clock: { now: () => now },
    });
    await OpenFeature.setProviderAndWait('rollout', provider);
    const client = OpenFeature.getClient('rollout');
    const evaluateAll = async () => {
      const out = new Map<string, { served: string; requested: string }>();
      for (const s of SUBJECTS) {
        const d = await client.getStringDetails('checkout', 'x', { targetingKey: s });
        out.set(s, { served: d.variant!, requested: String(d.flagMetadata['flagstate.requested']) });
      }
      return out;
    };
    const publish = async (percent: number) => {
      const changed = new Promise<void>((resolve) => {
        const handler = () => {
          client.removeHandler(ProviderEvents.ConfigurationChanged, handler);
          resolve();
        };
        client.addHandler(ProviderEvents.ConfigurationChanged, handler);
      });
      writeFileSync(path, JSON.stringify(rollout(percent)));
      await changed;
    };

    const first = await evaluateAll();
    expect([...first.values()].every((r) => r.served === 'legacy')).toBe(true);
    const wanted: number[] = [];
    for (const percent of [10, 50, 100]) {
      now += 1_000;
      await publish(percent);
      const stepped = await evaluateAll();
      const want = [...stepped.values()].filter((r) => r.requested === 'v2').length;
      wanted.push(want);
      // Nobody jumps straight to v2 from legacy: they are served canary first.
      for (const r of stepped.values())
        expect(r.served === 'v2' || r.requested !== 'v2' || r.served === 'canary').toBe(true);
      now += HOUR / 2;
      const baking = await evaluateAll(); // inside the bake time: held in canary
      expect([...baking.values()].filter((r) => r.served === 'canary').length).toBe(
        [...stepped.values()].filter((r) => r.served === 'canary').length,
      );
      now += HOUR / 2;
      const baked = await evaluateAll();
      for (const [s, r] of baked) expect(r.served, s).toBe(r.requested);
    }
    // The fractional split really is ~10% / 50% / 100% of 2,000.
    expect(wanted[0]).toBeGreaterThan(120);
    expect(wanted[0]).toBeLessThan(280);
    expect(wanted[1]).toBeGreaterThan(850);
    expect(wanted[1]).toBeLessThan(1_150);
    expect(wanted[2]).toBe(2_000);

    await audit.flush();
    const records = sink.records.filter((r): r is AuditRecord & Required<Pick<AuditRecord, 'state_change'>> =>
      Boolean(r.state_change),
    );
    expect(records.filter((r) => r.event.action === 'state-transition-illegal')).toEqual([]);
    const promotions = records.filter((r) => r.state_change.to === 'v2');
    expect(promotions).toHaveLength(2_000);
    for (const r of promotions) {
      expect(r.state_change.from).toBe('canary');
      expect(r.state_change.dwell_ms).toBeGreaterThanOrEqual(HOUR);
    }
    const held = records.filter((r) => r.event.action === 'state-transition-held');
    const heldKeys = held.map((r) => `${r.state_change.subject}>${r.state_change.pending}`);
    expect(new Set(heldKeys).size).toBe(heldKeys.length); // once per subject and target
    expect(held).toHaveLength(2_000);
    expect(held.every((r) => r.state_change.reason === 'min_dwell')).toBe(true);
    const final = await evaluateAll();
    expect([...final.values()].every((r) => r.served === 'v2')).toBe(true);
  }, 120_000);
});
