import { type AuditRecord, auditRecordSchema, GENESIS_HASH } from '@flagstate/audit';
import { ACTION_SHAPES } from '@flagstate/audit/internal';
import { LruStateStore, parseMachines, type StateAction } from '@flagstate/core';
import { AsyncStore, type Otel, points, setupOtel } from '@flagstate/test-kit';
import { OpenFeature } from '@openfeature/server-sdk';
import type { Span } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, machineDocument } from './fixtures/checkout.js';
import { hookSetup, T0 } from './fixtures/hook-setup.js';

const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

let otel: Otel;
beforeEach(() => {
  otel = setupOtel();
});
afterEach(async () => {
  await otel.shutdown();
  await OpenFeature.clearProviders();
});

/** Runs `fn` inside an active span, as a request handler would. */
async function inSpan<T>(fn: () => Promise<T>): Promise<{ result: T; span: Span }> {
  return otel.tracer.startActiveSpan('request', async (span) => {
    try {
      return { result: await fn(), span };
    } finally {
      span.end();
    }
  });
}

interface Expected {
  readonly action: StateAction;
  readonly message: string;
  readonly at: number;
  readonly variant: string;
  readonly change: Record<string, unknown>;
}

/** The whole record, field by field; only what is random or measured is matched loosely. */
function expectedRecord(e: Expected, sequence: number, stream: string, span: Span) {
  const shape = ACTION_SHAPES[e.action];
  return {
    '@timestamp': iso(e.at),
    ecs: { version: '9.4.0' },
    message: e.message,
    log: { level: shape.level },
    event: {
      kind: 'event',
      category: ['configuration'],
      type: [shape.type],
      action: e.action,
      outcome: shape.outcome,
      reason: 'targeting_match',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      sequence,
      duration: expect.any(Number),
      dataset: 'flagstate.audit',
      provider: 'flagstate',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    },
    data_stream: { type: 'logs', dataset: 'flagstate.audit', namespace: 'default' },
    trace: { id: span.spanContext().traceId },
    span: { id: span.spanContext().spanId },
    service: { name: 'checkout-api' },
    feature_flag: {
      key: 'checkout',
      provider: { name: 'in-memory' },
      result: { variant: e.variant, reason: 'targeting_match' },
      context: { id: 'user-42' },
    },
    state_change: { machine: 'checkout', machine_version: 3, subject: 'user-42', ...e.change },
    labels: { region: 'eu-west' },
    audit: { stream, prev_hash: sequence === 1 ? GENESIS_HASH : expect.stringMatching(/^[0-9a-f]{64}$/) },
  };
}

/** The transition attributes of a record: its span event's and its counter point's. */
function attributesOf(r: AuditRecord) {
  const c = r.state_change!;
  return {
    'feature_flag.key': 'checkout',
    'flagstate.machine': c.machine,
    ...(c.from === undefined ? {} : { 'flagstate.from': c.from }),
    'flagstate.to': c.to,
    'flagstate.action': r.event.action,
  };
}

/**
 * Checks the records against `expected` exactly, each against the record schema, the span's
 * events against the records, and the transitions counter against the records.
 */
async function checkAll(records: AuditRecord[], expected: Expected[], stream: string, span: Span) {
  expect(records).toEqual(expected.map((e, i) => expectedRecord(e, i + 1, stream, span)));
  for (const r of records) {
    expect(auditRecordSchema.safeParse(r).error).toBeUndefined();
    expect(r.event.duration).toBeGreaterThan(0);
  }
  const spans = otel.spans.getFinishedSpans();
  expect(spans).toHaveLength(1);
  expect(spans[0]!.status.code).toBe(0); // the user's span status is never touched
  expect(spans[0]!.events.map((e) => [e.name, e.attributes])).toEqual(
    records.map((r) => ['flagstate.state_transition', attributesOf(r)]),
  );
  const counted = points((await otel.metrics()).get('flagstate.transitions'));
  const want = new Map<string, [Record<string, unknown>, number]>();
  for (const r of records) {
    const attrs = attributesOf(r);
    const key = JSON.stringify(attrs);
    want.set(key, [attrs, (want.get(key)?.[1] ?? 0) + 1]);
  }
  expect(counted).toEqual([...want.values()]);
}

describe('StateTransitionHook: one exact record, span event and counter point per outcome', () => {
  it('init, then transition', async () => {
    let target = 'legacy';
    const s = await hookSetup(() => target);
    const { result, span } = await inSpan(async () => {
      const first = await s.evaluate();
      s.advance(5_000);
      target = 'canary';
      const second = await s.evaluate();
      const steady = await s.evaluate();
      return [first.value, second.value, steady.value];
    });
    expect(result).toEqual(['legacy-flow', 'canary-flow', 'canary-flow']);
    await checkAll(
      await s.records(),
      [
        {
          action: 'state-init',
          message: 'checkout: user-42 entered legacy',
          at: T0,
          variant: 'legacy',
          change: { to: 'legacy', subject_version: 1, entered_at: iso(T0) },
        },
        {
          action: 'state-transition',
          message: 'checkout: user-42 legacy -> canary after 5s',
          at: T0 + 5_000,
          variant: 'canary',
          change: {
            from: 'legacy',
            to: 'canary',
            transition: 'start-canary',
            subject_version: 2,
            entered_at: iso(T0 + 5_000),
            previous_entered_at: iso(T0),
            dwell_ms: 5_000,
          },
        },
      ],
      s.audit.streamId,
      span,
    );
  });

  it('illegal: served all the same, and flagged', async () => {
    let target = 'legacy';
    const s = await hookSetup(() => target);
    const { result, span } = await inSpan(async () => {
      await s.evaluate();
      s.advance(1_000);
      target = 'v2';
      return (await s.evaluate()).value;
    });
    expect(result).toBe('v2-flow');
    await checkAll(
      await s.records(),
      [
        {
          action: 'state-init',
          message: 'checkout: user-42 entered legacy',
          at: T0,
          variant: 'legacy',
          change: { to: 'legacy', subject_version: 1, entered_at: iso(T0) },
        },
        {
          action: 'state-transition-illegal',
          message: 'checkout: user-42 legacy -> v2 is not allowed (not_allowed)',
          at: T0 + 1_000,
          variant: 'v2',
          change: {
            from: 'legacy',
            to: 'v2',
            subject_version: 2,
            entered_at: iso(T0 + 1_000),
            previous_entered_at: iso(T0),
            dwell_ms: 1_000,
            reason: 'not_allowed',
          },
        },
      ],
      s.audit.streamId,
      span,
    );
  });

  it('held: from the provider’s flag metadata, once per distinct target', async () => {
    let requested: string | undefined;
    const s = await hookSetup(() => 'canary', {
      metadata: () =>
        requested === undefined ? {} : { 'flagstate.requested': requested, 'flagstate.held': 'min_dwell' },
    });
    const { result, span } = await inSpan(async () => {
      await s.evaluate();
      s.advance(60_000);
      requested = 'v2';
      const held = await s.evaluate();
      await s.evaluate(); // the same hold again: nothing new
      return held.value;
    });
    expect(result).toBe('canary-flow');
    await checkAll(
      await s.records(),
      [
        {
          action: 'state-init',
          message: 'checkout: user-42 entered canary',
          at: T0,
          variant: 'canary',
          change: { to: 'canary', subject_version: 1, entered_at: iso(T0) },
        },
        {
          action: 'state-transition-held',
          message: 'checkout: user-42 held in canary, wants v2 (min_dwell)',
          at: T0 + 60_000,
          variant: 'canary',
          change: {
            from: 'canary',
            to: 'canary',
            subject_version: 2,
            entered_at: iso(T0),
            previous_entered_at: iso(T0),
            dwell_ms: 60_000,
            pending: 'v2',
            reason: 'min_dwell',
          },
        },
      ],
      s.audit.streamId,
      span,
    );
  });

  it('migration: a machine version bump between evaluations maps the stored state', async () => {
    let target = 'canary';
    const s = await hookSetup(() => target, { variants: ['legacy', 'canary', 'pilot', 'v2', 'retired'] });
    const v4 = structuredClone(machineDocument) as { machines: { checkout: Record<string, unknown> } };
    Object.assign(v4.machines.checkout, {
      version: 4,
      states: { legacy: {}, pilot: { minDwell: '1h' }, v2: { maxDwell: '90d' }, retired: { final: true } },
      transitions: [
        { from: 'legacy', to: 'pilot', name: 'start-pilot' },
        { from: 'pilot', to: 'v2', name: 'promote' },
      ],
      migrations: [{ fromVersion: 3, states: { canary: 'pilot' } }],
    });
    const { result, span } = await inSpan(async () => {
      await s.evaluate();
      s.advance(HOUR);
      s.hook.machines = parseMachines(v4);
      target = 'pilot';
      return (await s.evaluate()).value;
    });
    expect(result).toBe('pilot-flow');
    await checkAll(
      await s.records(),
      [
        {
          action: 'state-init',
          message: 'checkout: user-42 entered canary',
          at: T0,
          variant: 'canary',
          change: { to: 'canary', subject_version: 1, entered_at: iso(T0) },
        },
        {
          action: 'state-migration',
          message: 'checkout: user-42 migrated canary -> pilot (machine version 4)',
          at: T0 + HOUR,
          variant: 'pilot',
          change: {
            machine_version: 4,
            from: 'canary',
            to: 'pilot',
            subject_version: 2,
            entered_at: iso(T0),
            previous_entered_at: iso(T0),
            dwell_ms: HOUR,
          },
        },
      ],
      s.audit.streamId,
      span,
    );
  });

  it('stale: a stay longer than maxDwell, measured with the injected clock, reported once', async () => {
    const s = await hookSetup(() => 'v2');
    const { span } = await inSpan(async () => {
      await s.evaluate();
      s.advance(91 * DAY);
      await s.evaluate();
      s.advance(DAY);
      await s.evaluate(); // the same stay: reported once
    });
    await checkAll(
      await s.records(),
      [
        {
          action: 'state-init',
          message: 'checkout: user-42 entered v2',
          at: T0,
          variant: 'v2',
          change: { to: 'v2', subject_version: 1, entered_at: iso(T0) },
        },
        {
          action: 'state-stale',
          message: 'checkout: user-42 stale in v2 (max_dwell)',
          at: T0 + 91 * DAY,
          variant: 'v2',
          change: {
            from: 'v2',
            to: 'v2',
            subject_version: 2,
            entered_at: iso(T0),
            previous_entered_at: iso(T0),
            dwell_ms: 91 * DAY,
            reason: 'max_dwell',
            stale: true,
          },
        },
      ],
      s.audit.streamId,
      span,
    );
  });

  it('race: two evaluations interleaved through a store that yields between get and compare-and-set', async () => {
    let calls = 0;
    const s = await hookSetup(() => (calls++ === 0 ? 'legacy' : 'canary'), {
      store: new AsyncStore(new LruStateStore()),
    });
    const { result, span } = await inSpan(() => Promise.all([s.evaluate(), s.evaluate()]));
    expect(result.map((d) => [d.value, d.errorCode])).toEqual([
      ['legacy-flow', undefined],
      ['canary-flow', undefined],
    ]);
    await checkAll(
      await s.records(),
      [
        {
          action: 'state-init',
          message: 'checkout: user-42 entered legacy',
          at: T0,
          variant: 'legacy',
          change: { to: 'legacy', subject_version: 1, entered_at: iso(T0) },
        },
        {
          // The loser re-reads, reports the race with the version that won, and decides again.
          action: 'state-race',
          message: 'checkout: user-42 lost a race writing (new) -> canary (lost_compare_and_set)',
          at: T0,
          variant: 'canary',
          change: { to: 'canary', subject_version: 1, reason: 'lost_compare_and_set' },
        },
        {
          action: 'state-transition',
          message: 'checkout: user-42 legacy -> canary after 0ms',
          at: T0,
          variant: 'canary',
          change: {
            from: 'legacy',
            to: 'canary',
            transition: 'start-canary',
            subject_version: 2,
            entered_at: iso(T0),
            previous_entered_at: iso(T0),
            dwell_ms: 0,
          },
        },
      ],
      s.audit.streamId,
      span,
    );
  });
});
