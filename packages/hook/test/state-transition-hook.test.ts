import {
  type AuditRecord,
  auditRecordSchema,
  createAuditLog,
  LruStateStore,
  memorySink,
  parseMachines,
  type StateRecord,
  type StateStore,
  stateRecord,
} from '@flagstate/core';
import { StateTransitionHook } from '@flagstate/hook';
import { ErrorCode, OpenFeature } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Otel, points, setupOtel } from '../../../contract-tests/src/otel.js';
import { HOUR, inMemoryClient, machineDocument } from './fixtures/checkout.js';

let otel: Otel;
let domain = 0;

beforeEach(() => {
  otel = setupOtel();
});
afterEach(async () => {
  await otel.shutdown();
  OpenFeature.clearHooks();
});

async function setup(
  targeting: (s: string) => 'legacy' | 'canary' | 'v2' | 'retired',
  options: { store?: StateStore; strictSubject?: boolean } = {},
) {
  let now = Date.UTC(2026, 10, 23, 10);
  const sink = memorySink();
  const audit = createAuditLog({ sinks: [sink], checkpointEvery: 0 });
  const store = options.store ?? new LruStateStore();
  const hook = new StateTransitionHook({
    machines: machineDocument,
    audit,
    store,
    service: 'checkout-api',
    labels: ['region'],
    clock: { now: () => now },
    ...(options.strictSubject ? { strictSubject: true } : {}),
  });
  const of = await inMemoryClient(targeting, `hook-test-${domain++}`);
  of.client.addHooks(hook);
  const state = (records: AuditRecord[]) => records.filter((r) => r.state_change);
  return {
    ...of,
    hook,
    store,
    audit,
    sink,
    records: () => state(sink.records),
    advance: (ms: number) => {
      now += ms;
    },
    evaluate: (subject: string, extra: Record<string, unknown> = {}) =>
      of.client.getStringValue('checkout', 'fallback', {
        targetingKey: subject,
        region: 'eu-west',
        ...extra,
      }),
  };
}

/** The state records written so far, once the log has flushed them to its sink. */
async function written(s: {
  audit: { flush(): Promise<void> };
  records(): AuditRecord[];
}): Promise<AuditRecord[]> {
  await s.audit.flush();
  return s.records();
}

describe('StateTransitionHook', () => {
  it('records init and transition with the exact record, span event and metrics', async () => {
    let target: 'legacy' | 'canary' = 'legacy';
    const s = await setup(() => target);
    await otel.tracer.startActiveSpan('request', async (span) => {
      expect(await s.evaluate('user-42')).toBe('legacy-flow');
      s.advance(5_000);
      target = 'canary';
      expect(await s.evaluate('user-42')).toBe('new-flow');
      expect(await s.evaluate('user-42')).toBe('new-flow'); // steady: nothing more
      span.end();
    });
    const records = await written(s);
    expect(records.map((r) => r.event.action)).toEqual(['state-init', 'state-transition']);
    for (const r of records) expect(auditRecordSchema.safeParse(r).success).toBe(true);
    const [span] = otel.spans.getFinishedSpans();
    expect(records[1]).toMatchObject({
      trace: { id: span!.spanContext().traceId },
      span: { id: span!.spanContext().spanId },
      service: { name: 'checkout-api' },
      labels: { region: 'eu-west' },
      event: { action: 'state-transition', reason: 'TARGETING_MATCH', sequence: 2 },
      feature_flag: {
        key: 'checkout',
        provider: { name: 'in-memory' },
        result: { variant: 'canary', reason: 'TARGETING_MATCH' },
        context: { id: 'user-42' },
      },
      state_change: {
        from: 'legacy',
        to: 'canary',
        transition: 'start-canary',
        subject_version: 2,
        dwell_ms: 5_000,
      },
    });
    expect(records[1]!.event.duration).toBeGreaterThan(0);
    expect(span!.events.map((e) => [e.name, e.attributes])).toEqual([
      [
        'feature_flag.state_transition',
        {
          'feature_flag.key': 'checkout',
          'flagstate.machine': 'checkout',
          'flagstate.to': 'legacy',
          'flagstate.action': 'state-init',
        },
      ],
      [
        'feature_flag.state_transition',
        {
          'feature_flag.key': 'checkout',
          'flagstate.machine': 'checkout',
          'flagstate.from': 'legacy',
          'flagstate.to': 'canary',
          'flagstate.action': 'state-transition',
        },
      ],
    ]);
    expect(span!.status.code).toBe(0); // unset: the hook never changes the user's span status

    const m = await otel.metrics();
    expect(m.get('flagstate.transitions')!.descriptor).toMatchObject({ unit: '{transition}' });
    expect(points(m.get('flagstate.transitions'))).toEqual([
      [
        {
          'feature_flag.key': 'checkout',
          'flagstate.machine': 'checkout',
          'flagstate.to': 'legacy',
          'flagstate.action': 'state-init',
        },
        1,
      ],
      [
        {
          'feature_flag.key': 'checkout',
          'flagstate.machine': 'checkout',
          'flagstate.from': 'legacy',
          'flagstate.to': 'canary',
          'flagstate.action': 'state-transition',
        },
        1,
      ],
    ]);
    const duration = m.get('flagstate.transition.duration')!;
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.dataPoints.map((p) => p.attributes)).toEqual([
      { 'feature_flag.key': 'checkout', 'flagstate.machine': 'checkout', 'flagstate.to': 'legacy' },
      { 'feature_flag.key': 'checkout', 'flagstate.machine': 'checkout', 'flagstate.to': 'canary' },
    ]);
    const dwell = m.get('flagstate.state.dwell')!;
    expect(dwell.descriptor.unit).toBe('s');
    expect(dwell.dataPoints.map((p) => [p.attributes, (p.value as { sum: number }).sum])).toEqual([
      [{ 'flagstate.machine': 'checkout', 'flagstate.from': 'legacy' }, 5],
    ]);
    expect(points(m.get('flagstate.audit.records'))).toEqual([
      [{ 'flagstate.result': 'written' }, 2],
      [{ 'flagstate.result': 'gap' }, 0],
    ]);
    expect(points(m.get('flagstate.store.subjects'))).toEqual([[{}, 1]]);
  });

  it('flags illegal moves, reports stale stays and migrations, and counts each', async () => {
    let target: 'legacy' | 'canary' | 'v2' = 'legacy';
    const s = await setup(() => target);
    await s.evaluate('user-42');
    s.advance(1_000);
    target = 'v2';
    expect(await s.evaluate('user-42')).toBe('new-flow'); // served all the same
    s.advance(91 * 24 * HOUR);
    await s.evaluate('user-42');
    s.store.compareAndSet('checkout', 'user-7', 0, stateRecord('beta', 1, 2, 0, undefined, false));
    target = 'canary';
    await s.evaluate('user-7');
    const records = await written(s);
    expect(
      records.map((r) => [r.event.action, r.event.outcome, r.log.level, r.state_change!.reason]),
    ).toEqual([
      ['state-init', 'success', 'info', undefined],
      ['state-transition-illegal', 'failure', 'warn', 'not_allowed'],
      ['state-stale', 'unknown', 'warn', 'max_dwell'],
      ['state-migration', 'success', 'info', undefined],
    ]);
    for (const r of records) expect(auditRecordSchema.safeParse(r).success).toBe(true);
    const counted = points((await otel.metrics()).get('flagstate.transitions')).map(([a, v]) => [
      a['flagstate.action'],
      v,
    ]);
    expect(counted).toEqual([
      ['state-init', 1],
      ['state-transition-illegal', 1],
      ['state-stale', 1],
      ['state-migration', 1],
    ]);
  });

  it('turns the provider’s held metadata into one held record per pending target', async () => {
    const s = await setup(() => 'canary');
    await s.evaluate('u');
    // The flagstate provider reports holds in flagMetadata; here the hook is called as the SDK would.
    const details = {
      flagKey: 'checkout',
      value: 'new-flow',
      variant: 'canary',
      reason: 'TARGETING_MATCH',
      flagMetadata: {
        'flagstate.machine': 'checkout',
        'flagstate.requested': 'v2',
        'flagstate.held': 'min_dwell',
      },
    };
    const ctx = {
      flagKey: 'checkout',
      context: { targetingKey: 'u' },
      hookData: new Map(),
      providerMetadata: { name: 'flagstate' },
      logger: console,
    } as never;
    s.hook.before(ctx);
    await s.hook.finally(ctx, { ...details });
    await s.hook.finally(ctx, { ...details });
    await s.hook.finally(ctx, {
      ...details,
      flagMetadata: { ...details.flagMetadata, 'flagstate.requested': 'retired' },
    });
    const held = (await written(s)).filter((r) => r.event.action === 'state-transition-held');
    expect(held.map((r) => [r.state_change!.pending, r.state_change!.reason, r.event.type])).toEqual([
      ['v2', 'min_dwell', ['denied']],
      ['retired', 'min_dwell', ['denied']],
    ]);
  });

  it('measures event.duration from before to finally, in nanoseconds', async () => {
    const s = await setup(() => 'legacy');
    const ctx = {
      flagKey: 'checkout',
      context: { targetingKey: 'timed' },
      hookData: new Map(),
      providerMetadata: { name: 'in-memory' },
      logger: console,
    } as never;
    s.hook.before(ctx);
    await new Promise((r) => setTimeout(r, 30));
    await s.hook.finally(ctx, {
      flagKey: 'checkout',
      value: 'legacy-flow',
      variant: 'legacy',
      flagMetadata: {},
    });
    const [record] = await written(s);
    expect(record!.event.duration).toBeGreaterThanOrEqual(29_000_000);
    expect(record!.event.duration).toBeLessThan(5_000_000_000);
    const duration = (await otel.metrics()).get('flagstate.transition.duration')!;
    const sum = (duration.dataPoints[0]!.value as { sum: number }).sum;
    expect(sum).toBeGreaterThanOrEqual(0.029);
    expect(sum).toBeLessThan(5);
  });

  it('reports a race between two evaluations through a store that yields between get and compare-and-set', async () => {
    const inner = new LruStateStore();
    const tick = () => new Promise<void>((r) => setImmediate(r));
    const slow: StateStore = {
      get: async (m, s) => {
        await tick();
        return inner.get(m, s);
      },
      compareAndSet: async (m, s, v, r: StateRecord) => {
        await tick();
        return inner.compareAndSet(m, s, v, r);
      },
      size: () => inner.size(),
      entries: () => inner.entries(),
    };
    let calls = 0;
    const s = await setup(() => (calls++ % 2 === 0 ? 'legacy' : 'canary'), { store: slow });
    const values = await Promise.all([s.evaluate('u'), s.evaluate('u')]);
    expect(values.sort()).toEqual(['legacy-flow', 'new-flow']);
    const records = await written(s);
    expect(records.map((r) => r.event.action)).toContain('state-race');
    const race = records.find((r) => r.event.action === 'state-race')!;
    expect(race).toMatchObject({
      event: { outcome: 'failure' },
      state_change: { reason: 'lost_compare_and_set' },
    });
    const actions = points((await otel.metrics()).get('flagstate.transitions')).map(
      ([a]) => a['flagstate.action'],
    );
    expect(actions).toContain('state-race');
  });

  it('ignores unbound flags and ERROR evaluations, counts missing subjects, and leaves trace fields out without a span', async () => {
    const s = await setup(() => 'legacy');
    expect(await s.client.getBooleanValue('plain', false, { targetingKey: 'u' })).toBe(true);
    expect(await s.client.getNumberValue('checkout', 7, { targetingKey: 'u' })).toBe(7); // type mismatch: ERROR
    expect(await s.client.getStringValue('checkout', 'fallback', {})).toBe('legacy-flow');
    expect(s.hook.stats()).toMatchObject({ errorEvaluations: 1, missingSubject: 1, observed: 0 });
    await s.evaluate('u');
    const [record] = await written(s);
    expect(record).not.toHaveProperty('trace');
    expect(record).not.toHaveProperty('span');
  });

  it('with strictSubject, fails evaluations without a subject with TARGETING_KEY_MISSING', async () => {
    const s = await setup(() => 'legacy', { strictSubject: true });
    const details = await s.client.getStringDetails('checkout', 'fallback', {});
    expect(details).toMatchObject({ value: 'fallback', errorCode: ErrorCode.TARGETING_KEY_MISSING });
    expect(s.records()).toEqual([]);
  });

  it('records an evaluation once when two hooks see it', async () => {
    const s = await setup(() => 'legacy');
    const second = new StateTransitionHook({
      machines: parseMachines(machineDocument),
      audit: s.audit,
      store: s.store,
    });
    OpenFeature.addHooks(second);
    await s.evaluate('u');
    expect(await written(s)).toHaveLength(1);
    expect(second.stats().duplicates + s.hook.stats().duplicates).toBe(1);
  });

  it('never throws into an evaluation: a store that throws and a sink that fails are logged and counted', async () => {
    const broken: StateStore = {
      get: () => {
        throw new Error('store down');
      },
      compareAndSet: () => false,
      size: () => 0,
    };
    const logged: string[] = [];
    const logger = { error: (m: string) => logged.push(m), warn() {}, info() {}, debug() {} };
    const s = await setup(() => 'legacy', { store: broken });
    OpenFeature.setLogger(logger);
    for (let i = 0; i < 5; i++) expect(await s.evaluate(`u${i}`)).toBe('legacy-flow');
    expect(s.hook.stats().failures).toBe(5);
    expect(logged.filter((m) => m.includes('flagstate: state tracking failed'))).toHaveLength(3); // 1st, 2nd, 4th

    const failing = {
      name: 'failing',
      write: () => {
        throw new Error('EACCES');
      },
      writeSync: () => {
        throw new Error('EACCES');
      },
    };
    const audit = createAuditLog({ sinks: [failing], checkpointEvery: 0 });
    const hook = new StateTransitionHook({ machines: machineDocument, audit, logger });
    const of = await inMemoryClient(() => 'legacy', `hook-test-${domain++}`);
    of.client.addHooks(hook);
    expect(await of.client.getStringValue('checkout', 'x', { targetingKey: 'u' })).toBe('legacy-flow');
    await new Promise((r) => setTimeout(r, 20));
    expect(logged.some((m) => m.includes('audit sink failed'))).toBe(true);
    expect(audit.stats().sinkErrors).toBeGreaterThan(0);
    OpenFeature.setLogger(console);
  });

  it('reads the state from the value when stateFrom is value', async () => {
    const doc = structuredClone(machineDocument) as { machines: { checkout: Record<string, unknown> } };
    doc.machines.checkout.stateFrom = 'value';
    doc.machines.checkout.states = { 'legacy-flow': {}, 'new-flow': {} };
    doc.machines.checkout.initial = 'legacy-flow';
    doc.machines.checkout.transitions = [{ from: 'legacy-flow', to: 'new-flow' }];
    doc.machines.checkout.migrations = [];
    const sink = memorySink();
    const hook = new StateTransitionHook({ machines: doc, audit: createAuditLog({ sinks: [sink] }) });
    const of = await inMemoryClient(() => 'canary', `hook-test-${domain++}`);
    of.client.addHooks(hook);
    await of.client.getStringValue('checkout', 'x', { targetingKey: 'u' });
    await hook.audit.close();
    expect(sink.records[0]!.state_change).toMatchObject({ to: 'new-flow' });
  });
});
