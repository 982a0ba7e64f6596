import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAuditFiles, replayAudit, verifyAudit } from '@flagstate/audit';
import {
  type DurableState,
  openDurableState,
  parseMachines,
  StoreFullError,
  storeSnapshot,
  TransitionEngine,
} from '@flagstate/core';
import { createAuditRecordFactory } from '@flagstate/core/internal';
import { describe, expect, it } from 'vitest';

const machines = parseMachines({
  machines: {
    m: {
      version: 1,
      initial: 'a',
      flags: ['f'],
      states: { a: {}, b: { minDwell: '1h' }, c: {} },
      transitions: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
      ],
    },
  },
});
const build = createAuditRecordFactory();

/** Observes like the hook does: the engine writes the store, the record goes to the log. */
function observe(state: DurableState, subject: string, to: string, at: number, pending?: string) {
  const engine = new TransitionEngine({ machines, store: state.store });
  const outcome = engine.observe({
    machine: 'm',
    subject,
    state: to,
    at,
    pending,
    heldReason: pending && 'min_dwell',
  });
  if ('kind' in outcome && outcome.kind !== 'steady') {
    for (let o: typeof outcome | undefined = outcome; o; o = o.prior) {
      state.audit.append(build(o, { flagKey: 'f', variant: to }));
    }
  }
}

const auditPaths = (dir: string) => {
  const rotation = (n: string) => (n === 'audit.ndjson' ? 0 : Number(n.slice('audit.ndjson.'.length)));
  return readdirSync(dir)
    .filter((n) => n.startsWith('audit.ndjson'))
    .sort((a, b) => rotation(b) - rotation(a))
    .map((n) => join(dir, n));
};

async function expectReplayEqualsStore(state: DurableState) {
  const replayed = replayAudit(readAuditFiles(auditPaths(state.dir)));
  expect(replayed.conflicts).toEqual([]);
  expect(await storeSnapshot(state.store)).toEqual(replayed.states);
}

describe('openDurableState', () => {
  it('rebuilds every record (state, version, enteredAt, pending, stale) from snapshot plus tail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagstate-durable-'));
    const first = openDurableState({ dir, maxBytes: 20_000, snapshotEvery: 50 });
    for (let i = 0; i < 120; i++) observe(first, `s${i}`, 'a', 1_000 + i);
    for (let i = 0; i < 60; i++) observe(first, `s${i}`, 'b', 5_000 + i);
    first.snapshot();
    for (let i = 0; i < 30; i++) observe(first, `s${i}`, 'b', 9_000 + i, 'c'); // held: pending c
    observe(first, 's119', 'x', 9_500); // unknown state: stale flag, last known state a
    const before = await storeSnapshot(first.store);
    // What a crash after the last batch leaves: the files as they are, the log never closed.
    first.audit.flushSync();
    const crashed = mkdtempSync(join(tmpdir(), 'flagstate-durable-crashed-'));
    cpSync(dir, crashed, { recursive: true });
    await first.close();

    const second = openDurableState({ dir: crashed, maxBytes: 20_000, snapshotEvery: 50 });
    expect(second.recovery.fromSnapshot).toBe(120);
    expect(second.recovery.replayedWrites).toBe(31);
    expect(second.recovery.badLines).toBe(0);
    expect(await storeSnapshot(second.store)).toEqual(before);
    expect(second.store.get('m', 's0')).toMatchObject({
      state: 'b',
      version: 3,
      enteredAt: 5_000,
      pending: 'c',
    });
    expect(second.store.get('m', 's119')).toMatchObject({ state: 'x', stale: true, lastKnown: 'a' });
    await second.close();
    const third = openDurableState({ dir: crashed });
    expect(third.recovery.replayedLines).toBeLessThanOrEqual(2);
    expect(await storeSnapshot(third.store)).toEqual(before);
    expect(third.store.get('m', 's119')).toMatchObject({ state: 'x', lastKnown: 'a' });
    await expectReplayEqualsStore(third);
    await third.close();
    const report = verifyAudit(readAuditFiles(auditPaths(crashed)));
    expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
  });

  it('falls back to every audit file when the snapshot is damaged, and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagstate-durable-'));
    const first = openDurableState({ dir });
    for (let i = 0; i < 10; i++) observe(first, `s${i}`, 'a', 1_000);
    await first.close();
    writeFileSync(join(dir, 'state.snapshot'), `${readFileSync(join(dir, 'state.snapshot'), 'utf8')}[1,2]\n`);
    const second = openDurableState({ dir });
    expect(second.recovery.snapshotProblem).toMatch(/state\.snapshot:12: not a snapshot entry/);
    expect(second.recovery.fromSnapshot).toBe(0);
    expect(second.store.size()).toBe(10);
    await second.close();
  });

  it('never forgets a known subject: a full machine refuses new ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagstate-durable-'));
    const state = openDurableState({ dir, maxSubjects: 3 });
    for (const s of ['x', 'y', 'z']) observe(state, s, 'a', 1_000);
    expect(() => observe(state, 'w', 'a', 1_000)).toThrow(StoreFullError);
    expect(state.store.stats()).toEqual({ evicted: 0, refused: 1 });
    expect(state.store.get('m', 'x')?.state).toBe('a');
    await state.close();
    const report = verifyAudit(readAuditFiles(auditPaths(dir)));
    expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
  });
});
