import { type AuditRecord, AuditReplayer, createAuditLog, memorySink, replayAudit } from '@flagstate/audit';
import { batchClaim, claimBatch, replayClaim } from '@flagstate/audit/internal';
import { LruStateStore, outcomeChain, parseMachines, storeSnapshot, TransitionEngine } from '@flagstate/core';
import { createAuditRecordFactory } from '@flagstate/core/internal';
import { AsyncStore } from '@flagstate/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkoutDocument } from './fixtures/checkout.js';
import { everyRecordKind } from './fixtures/every-record-kind.js';

/**
 * A replica: its own engine, store and audit log, writing `rounds` states of `subjects`
 * subjects, at its own clock. Two replicas on separate stores claim the same versions.
 */
async function replica(subjects: number, rounds: number, clockOffset: number): Promise<AuditRecord[]> {
  const machines = parseMachines({
    machines: {
      m: {
        version: 1,
        initial: 'a',
        flags: ['f'],
        states: { a: {}, b: {}, c: {} },
        transitions: [
          { from: 'a', to: 'b' },
          { from: 'b', to: 'c' },
          { from: 'c', to: 'a' },
        ],
      },
    },
  });
  let now = 1_000 + clockOffset;
  const engine = new TransitionEngine({ machines, store: new LruStateStore(), clock: { now: () => now } });
  const sink = memorySink();
  const log = createAuditLog({ sinks: [sink], checkpointEvery: 7 });
  const build = createAuditRecordFactory();
  for (let round = 0; round < rounds; round++) {
    now += 60_000;
    for (let i = 0; i < subjects; i++) {
      const o = engine.observe({ machine: 'm', subject: `u${i}`, state: 'abc'[(round + i) % 3]! });
      for (const x of outcomeChain(o as never)) log.append(build(x, { flagKey: 'f', variant: x.to }));
    }
  }
  await log.close();
  return sink.records;
}

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
    const store = new AsyncStore(new LruStateStore());
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

  it('gives the same report whatever the order of the records, conflicts and duplicates included', async () => {
    const a = await replica(4, 5, 0);
    const b = await replica(3, 5, 30_000);
    // Part of a file given twice, and a replica that restarted without its store.
    const input = [...a, ...b, ...a.slice(3, 11), ...(await replica(2, 2, 90_000))];
    const expected = replayAudit(input);
    expect(expected.conflicts.filter((c) => c.kind === 'conflict').length).toBeGreaterThan(5);
    fc.assert(
      fc.property(fc.shuffledSubarray(input, { minLength: input.length }), (shuffled) => {
        expect(replayAudit(shuffled)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('settles a conflict by the later @timestamp, then the larger event.id, and names both records', async () => {
    const early = await replica(1, 2, 0);
    const late = await replica(1, 2, 30_000);
    const report = replayAudit([...late, ...early]);
    const ids = (records: AuditRecord[], v: number) =>
      records.find((r) => r.state_change?.subject_version === v)!.event.id;
    expect(report.conflicts).toEqual([
      {
        machine: 'm',
        subject: 'u0',
        version: 1,
        kind: 'conflict',
        message: 'two different records claim version 1',
        winner: ids(late, 1),
        losers: [ids(early, 1)],
      },
      {
        machine: 'm',
        subject: 'u0',
        version: 2,
        kind: 'conflict',
        message: 'two different records claim version 2',
        winner: ids(late, 2),
        losers: [ids(early, 2)],
      },
    ]);
    expect(report.states[0]!.enteredAt).toBe(Date.parse(late.at(-2)!['@timestamp']));
    // At the same time, the larger id wins.
    const twin = structuredClone(early.slice(0, 1));
    twin[0]!.event.id = 'ffffffff-0000-7000-8000-000000000000';
    twin[0]!.audit.stream = 'ffffffff-0000-7000-8000-000000000001';
    twin[0]!.state_change!.to = 'b';
    const tie = replayAudit([...twin, ...early.slice(0, 1)]);
    expect(tie.conflicts[0]).toMatchObject({ winner: twin[0]!.event.id, losers: [early[0]!.event.id] });
    expect(tie.states[0]!.state).toBe('b');
  });

  it('counts a record read twice once, whether it is chained or not, and reads a one-shot iterator too', async () => {
    const a = await replica(3, 3, 0);
    const once = replayAudit(a);
    expect(once.conflicts).toEqual([]);
    expect(replayAudit([...a, ...a]).conflicts).toEqual([]);
    const unchained = a.map(({ audit: _audit, event: { sequence: _s, ...event }, ...r }) => ({
      ...r,
      event,
    }));
    expect(replayAudit([...unchained, ...unchained] as never[]).conflicts).toEqual([]);
    function* oneShot() {
      yield* a;
      yield* a.slice(0, 2).map((r) => ({
        ...r,
        audit: { ...r.audit, stream: '00000000-0000-7000-8000-000000000000' },
        event: { ...r.event, id: `x${r.event.id}` },
      }));
    }
    const report = replayAudit(oneShot());
    expect(report.conflicts.map((c) => [c.kind, c.version])).toEqual([
      ['conflict', 1],
      ['conflict', 1],
    ]);
  });

  it('gives the same report from claims sent in batches, as worker threads send them', async () => {
    const input = [...(await replica(4, 5, 0)), ...(await replica(3, 5, 30_000))];
    input[2]!.event.id = 'not-a-uuid';
    const claims = input.map(replayClaim).filter((c) => c !== undefined);
    const batch = claimBatch(claims);
    expect(claims.map((_, i) => batchClaim(batch, i))).toEqual(claims);
    const replayer = new AuditReplayer();
    for (let i = 0; i < claims.length; i += 7) replayer.addBatch(claimBatch(claims.slice(i, i + 7)));
    // Two replicas claim the same versions from different places: read once more, to name them.
    expect(replayer.nextPass()).toBe(true);
    replayer.recheckBatch(batch);
    expect(replayer.nextPass()).toBe(false);
    expect(replayer.report()).toEqual(replayAudit(input));
  });
});
