import { createAuditLog, LruStateStore, memorySink, replayAudit, storeSnapshot } from '@flagstate/core';
import { StateTransitionHook } from '@flagstate/hook';
import { describe, expect, it } from 'vitest';
import { inMemoryClient, machineDocument } from './fixtures/checkout.js';

const STATES = ['legacy', 'canary', 'v2', 'retired'] as const;

describe('StateTransitionHook under concurrency', () => {
  it('50 subjects x 200 evaluations with changing targeting: replay equals the store, versions run 1..n', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const sink = memorySink();
    const store = new LruStateStore();
    let now = 0;
    const hook = new StateTransitionHook({
      machines: machineDocument,
      store,
      audit: createAuditLog({ sinks: [sink] }),
      clock: { now: () => (now += 7_000_000) },
    });
    let assignment = new Map<string, (typeof STATES)[number]>();
    const retarget = () => {
      assignment = new Map(
        Array.from({ length: 50 }, (_, i) => [`s${i}`, STATES[Math.floor(random() * 3)]!]),
      );
    };
    retarget();
    const { client, retarget: put } = await inMemoryClient(
      (s) => assignment.get(s) ?? 'legacy',
      'concurrency',
    );
    client.addHooks(hook);

    for (let round = 0; round < 20; round++) {
      if (round % 4 === 0) {
        retarget();
        put((s) => assignment.get(s) ?? 'legacy');
      }
      const batch = Array.from({ length: 500 }, (_, i) => `s${(i * 7 + round) % 50}`);
      await Promise.all(batch.map((s) => client.getStringValue('checkout', 'x', { targetingKey: s })));
    }
    await hook.audit.close();

    const records = sink.records.filter((r) => r.state_change);
    expect(records.length).toBeGreaterThan(50);
    const report = replayAudit(sink.records);
    expect(report.conflicts).toEqual([]);
    expect(report.states).toEqual(await storeSnapshot(store));
    const bySubject = new Map<string, number[]>();
    for (const r of records) {
      const list = bySubject.get(r.state_change!.subject) ?? [];
      list.push(r.state_change!.subject_version);
      bySubject.set(r.state_change!.subject, list);
    }
    expect(bySubject.size).toBe(50);
    for (const versions of bySubject.values()) {
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
    expect(hook.stats().observed).toBe(10_000);
  });
});
