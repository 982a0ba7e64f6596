import { createAuditLog, memorySink } from '@flagstate/audit';
import { LruStateStore, type StateStore, stateRecord } from '@flagstate/core';
import { StateTransitionHook } from '@flagstate/hook';
import { type Otel, points, setupOtel } from '@flagstate/test-kit';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, machineDocument } from './fixtures/checkout.js';
import { hookSetup, T0 } from './fixtures/hook-setup.js';

let otel: Otel;
beforeEach(() => {
  otel = setupOtel();
});
afterEach(async () => {
  await otel.shutdown();
  await OpenFeature.clearProviders();
});

/** The value of a single-point metric with these attributes, 0 when absent. */
async function value(name: string, attrs: Record<string, unknown> = {}): Promise<number> {
  const point = points((await otel.metrics()).get(name)).find(
    ([a]) => JSON.stringify(a) === JSON.stringify(attrs),
  );
  return (point?.[1] as number | undefined) ?? 0;
}

describe('StateTransitionHook metrics', () => {
  it('are exactly DESIGN.md’s instruments: names, kinds, units, meter', async () => {
    let target = 'legacy';
    const s = await hookSetup(() => target);
    await s.evaluate();
    s.advance(5_000);
    target = 'canary';
    await s.evaluate();
    const m = await otel.metrics();
    const described = [...m.values()]
      // The SDK's descriptors carry the instrument type at run time, though its types omit it.
      .map((x) => [x.descriptor.name, (x.descriptor as { type?: string }).type, x.descriptor.unit, x.scope])
      .sort();
    expect(described).toEqual([
      ['flagstate.audit.records', 'OBSERVABLE_COUNTER', '{record}', '@flagstate/hook'],
      ['flagstate.state.dwell', 'HISTOGRAM', 's', '@flagstate/hook'],
      ['flagstate.store.evictions', 'OBSERVABLE_COUNTER', '{subject}', '@flagstate/hook'],
      ['flagstate.store.subjects', 'OBSERVABLE_GAUGE', '{subject}', '@flagstate/hook'],
      ['flagstate.transition.duration', 'HISTOGRAM', 's', '@flagstate/hook'],
      ['flagstate.transitions', 'COUNTER', '{transition}', '@flagstate/hook'],
    ]);
    const duration = m.get('flagstate.transition.duration')!;
    expect(duration.dataPoints.map((p) => p.attributes)).toEqual([
      { 'feature_flag.key': 'checkout', 'flagstate.machine': 'checkout', 'flagstate.to': 'legacy' },
      { 'feature_flag.key': 'checkout', 'flagstate.machine': 'checkout', 'flagstate.to': 'canary' },
    ]);
    const dwell = m.get('flagstate.state.dwell')!;
    expect(dwell.dataPoints.map((p) => [p.attributes, (p.value as { sum: number }).sum])).toEqual([
      [{ 'flagstate.machine': 'checkout', 'flagstate.from': 'legacy' }, 5],
    ]);
  });

  it('count the records and subjects of every hook once, however many hooks share the process', async () => {
    const a = await hookSetup(() => 'legacy');
    const b = await hookSetup(() => 'canary');
    // Earlier tests' logs and stores are still alive in this process: count from here.
    const writtenBefore = await value('flagstate.audit.records', { 'flagstate.result': 'written' });
    const subjectsBefore = await value('flagstate.store.subjects');
    // A third hook sharing a's store and log adds nothing of its own.
    new StateTransitionHook({ machines: machineDocument, store: a.store, audit: a.audit });
    for (const subject of ['u1', 'u2']) await a.evaluate(subject);
    for (const subject of ['v1', 'v2', 'v3']) await b.evaluate(subject);
    expect((await value('flagstate.audit.records', { 'flagstate.result': 'written' })) - writtenBefore).toBe(
      5,
    );
    expect((await value('flagstate.store.subjects')) - subjectsBefore).toBe(5);
    // Closing writes each log's closing checkpoint, and a closed log keeps its count: the
    // counter never goes down.
    await a.audit.close();
    await b.audit.close();
    expect((await value('flagstate.audit.records', { 'flagstate.result': 'written' })) - writtenBefore).toBe(
      7,
    );
  });

  it('count subjects a full store evicted or refused, by result', async () => {
    const evictingStore = new LruStateStore({ maxSubjects: 2 });
    const refusingStore = new LruStateStore({ maxSubjects: 2, whenFull: 'refuse' });
    const evicting = await hookSetup(() => 'legacy', { store: evictingStore });
    const refusing = await hookSetup(() => 'legacy', { store: refusingStore });
    const before = {
      evicted: await value('flagstate.store.evictions', { 'flagstate.result': 'evicted' }),
      refused: await value('flagstate.store.evictions', { 'flagstate.result': 'refused' }),
    };
    for (const subject of ['a', 'b', 'c', 'd', 'e']) {
      await evicting.evaluate(subject);
      await refusing.evaluate(subject);
    }
    expect(
      (await value('flagstate.store.evictions', { 'flagstate.result': 'evicted' })) - before.evicted,
    ).toBe(3);
    expect(
      (await value('flagstate.store.evictions', { 'flagstate.result': 'refused' })) - before.refused,
    ).toBe(3);
    // Refused subjects are untracked; the known ones keep their records.
    expect(refusingStore.get('checkout', 'a')?.state).toBe('legacy');
    expect(refusingStore.get('checkout', 'e')).toBeUndefined();
    expect(evictingStore.get('checkout', 'a')).toBeUndefined();
  });

  it('give one evaluation one duration, and no dwell for a migration, which leaves no state', async () => {
    const store = new LruStateStore();
    // A record written by machine version 2 in "beta", two hours ago; version 3 maps beta to canary.
    store.compareAndSet('checkout', 'user-42', 0, stateRecord('beta', 1, 2, T0 - 2 * HOUR, undefined, false));
    const s = await hookSetup(() => 'v2', { store });
    await s.evaluate();
    expect(
      (await s.records()).map((r) => [r.event.action, r.state_change!.from, r.state_change!.to]),
    ).toEqual([
      ['state-migration', 'beta', 'canary'],
      ['state-transition', 'canary', 'v2'],
    ]);
    const m = await otel.metrics();
    const duration = m.get('flagstate.transition.duration')!;
    expect(duration.dataPoints.map((p) => [p.attributes, (p.value as { count: number }).count])).toEqual([
      [{ 'feature_flag.key': 'checkout', 'flagstate.machine': 'checkout', 'flagstate.to': 'v2' }, 1],
    ]);
    const dwell = m.get('flagstate.state.dwell')!;
    expect(dwell.dataPoints.map((p) => [p.attributes, (p.value as { sum: number }).sum])).toEqual([
      [{ 'flagstate.machine': 'checkout', 'flagstate.from': 'canary' }, 2 * 3600],
    ]);
  });

  it('count and log a store that fails while metrics are collected, and still report the others', async () => {
    const logged: string[] = [];
    const failing: StateStore = {
      get: () => undefined,
      compareAndSet: () => true,
      size: () => {
        throw new Error('size down');
      },
    };
    const hook = new StateTransitionHook({
      machines: machineDocument,
      store: failing,
      audit: createAuditLog({ sinks: [memorySink()] }),
      logger: { error: (m: string) => logged.push(m), warn() {}, info() {}, debug() {} },
    });
    const healthy = await hookSetup(() => 'legacy');
    await healthy.evaluate('someone');
    expect(await value('flagstate.store.subjects')).toBeGreaterThanOrEqual(1);
    expect(hook.stats().failures).toBe(1);
    expect(logged).toEqual(['flagstate: store size failed (1 time so far): size down']);
    await hook.audit.close();
  });
});
