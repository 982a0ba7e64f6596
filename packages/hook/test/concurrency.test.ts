import { createAuditLog, memorySink, replayAudit } from '@flagstate/audit';
import { LruStateStore, type StateStore, storeSnapshot } from '@flagstate/core';
import { StateTransitionHook } from '@flagstate/hook';
import { AsyncStore } from '@flagstate/test-kit';
import { describe, expect, it } from 'vitest';
import { inMemoryClient, machineDocument } from './fixtures/checkout.js';

const STATES = ['legacy', 'canary', 'v2', 'retired'] as const;

describe('StateTransitionHook under concurrency', () => {
  // The in-process store answers synchronously, so evaluations never interleave inside the
  // engine; a store that answers on a later turn makes them race, as a networked one does.
  const stores: Array<[string, () => StateStore]> = [
    ['LruStateStore', () => new LruStateStore()],
    ['a store that yields between get and compare-and-set', () => new AsyncStore(new LruStateStore())],
  ];
  it.each(stores)(
    '50 subjects x 200 evaluations with changing targeting (%s): replay equals the store, versions run 1..n',
    async (name, makeStore) => {
      let seed = 42;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const sink = memorySink();
      const store = makeStore();
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
        `concurrency-${name}`,
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

      const all = sink.records.filter((r) => r.state_change);
      const races = all.filter((r) => r.event.action === 'state-race');
      if (name === 'LruStateStore') expect(races).toEqual([]);
      else expect(races.length).toBeGreaterThan(10);
      // A race record names the version that won, which its own write record already carries.
      const records = all.filter((r) => r.event.action !== 'state-race');
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
    },
  );
});
