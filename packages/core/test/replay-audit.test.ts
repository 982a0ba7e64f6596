import {
  type AuditRecord,
  createAuditLog,
  createAuditRecordFactory,
  LruStateStore,
  memorySink,
  outcomeChain,
  parseMachines,
  replayAudit,
  storeSnapshot,
  TransitionEngine,
} from '@flagstate/core';
import { describe, expect, it } from 'vitest';
import { AsyncStore } from './fixtures/async-store.js';
import { checkoutDocument } from './fixtures/checkout.js';
import { everyRecordKind } from './fixtures/every-record-kind.js';

describe('replayAudit', () => {
  it('rebuilds the store from records in any arrival order, every outcome kind included', async () => {
    const { log, sink, store } = await everyRecordKind();
    await log.close();
    const shuffled = [...sink.records].reverse();
    const report = replayAudit(shuffled);
    // user-7's version 1 was planted in the store by the fixture (an old machine version's
    // write), so the stream rightly says it never saw it.
    expect(report.conflicts.map((c) => [c.kind, c.subject, c.version])).toEqual([['gap', 'user-7', 1]]);
    const main = await storeSnapshot(store);
    expect(report.states.filter((s) => s.subject !== 'user-9')).toEqual(main);
    expect(report.counts).toEqual({ checkout: { v2: 1, canary: 2 } });
  });

  it('equals the store after concurrent writers raced through an async store', async () => {
    const machines = parseMachines(checkoutDocument);
    const store = new AsyncStore();
    let now = 1_000;
    const engine = new TransitionEngine({ machines, store, clock: { now: () => now } });
    const sink = memorySink();
    const log = createAuditLog({ sinks: [sink] });
    const build = createAuditRecordFactory();
    const states = ['legacy', 'canary', 'v2', 'legacy'];
    for (let round = 0; round < 20; round++) {
      now += 4_000_000;
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          engine.observe({ machine: 'checkout', subject: `u${i % 7}`, state: states[(round + i) % 4]! }),
        ),
      );
      for (const o of outcomes.flatMap(outcomeChain)) log.append(build(o, { flagKey: 'checkout' }));
    }
    await log.close();
    expect(sink.records.some((r) => r.event.action === 'state-race')).toBe(true);
    const report = replayAudit(sink.records);
    expect(report.conflicts).toEqual([]);
    expect(report.states).toEqual(await storeSnapshot(store));
  });

  it('reports conflicting and missing versions', () => {
    const store = new LruStateStore();
    const engine = new TransitionEngine({ machines: parseMachines(checkoutDocument), store });
    const build = createAuditRecordFactory();
    const records: AuditRecord[] = [];
    for (const [state, at] of [
      ['legacy', 1],
      ['canary', 2],
      ['legacy', 3],
      ['canary', 4],
    ] as const) {
      const o = engine.observe({ machine: 'checkout', subject: 'u', state, at });
      for (const x of outcomeChain(o as never))
        records.push(build(x, { flagKey: 'checkout' }) as AuditRecord);
    }
    const forged = structuredClone(records[1]!);
    forged.event.id = 'another';
    forged.state_change!.to = 'v2';
    const report = replayAudit([records[0]!, forged, records[1]!, records[3]!]);
    expect(report.conflicts.map((c) => [c.kind, c.version])).toEqual([
      ['conflict', 2],
      ['gap', 3],
    ]);
    expect(report.states[0]).toMatchObject({ state: 'canary', version: 4 });
  });
});
