import { createAuditLog, memorySink } from '@flagstate/audit';
import { LruStateStore, type StateStore } from '@flagstate/core';
import { StateMachineProvider, type UndecidedPolicy } from '@flagstate/provider';
import { checkoutDocument, type Otel, points, setupOtel } from '@flagstate/test-kit';
import { type EvaluationContext, OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** An asynchronous store over an LRU one that can be switched off: a Redis that goes away. */
function switchableStore() {
  const inner = new LruStateStore();
  let down = false;
  const fail = () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379'));
  const store: StateStore & { down: boolean } = {
    get down() {
      return down;
    },
    set down(value: boolean) {
      down = value;
    },
    get: (m, s) => (down ? fail() : Promise.resolve(inner.get(m, s))),
    compareAndSet: (m, s, v, r) => (down ? fail() : Promise.resolve(inner.compareAndSet(m, s, v, r))),
    size: () => (down ? fail() : Promise.resolve(inner.size())),
  };
  return store;
}

let otel: Otel;
let n = 0;
beforeEach(() => {
  otel = setupOtel();
});
afterEach(async () => {
  await otel.shutdown();
});

async function setup(policy?: UndecidedPolicy) {
  const store = switchableStore();
  const sink = memorySink();
  const warnings: string[] = [];
  const logger = {
    error: () => undefined,
    warn: (m: string) => warnings.push(m),
    info: () => undefined,
    debug: () => undefined,
  };
  const provider = new StateMachineProvider({
    source: checkoutDocument(),
    store,
    audit: createAuditLog({ sinks: [sink], checkpointEvery: 0 }),
    logger,
    ...(policy === undefined ? {} : { whenUndecided: policy }),
  });
  const events: string[] = [];
  for (const e of [ProviderEvents.Stale, ProviderEvents.Ready, ProviderEvents.Error]) {
    provider.events.addHandler(e, () => events.push(e));
  }
  const domain = `undecided-${n++}`;
  await OpenFeature.setProviderAndWait(domain, provider);
  // Initialisation's own PROVIDER_READY is not the store's health.
  expect(events).toEqual([ProviderEvents.Ready]);
  events.length = 0;
  const client = OpenFeature.getClient(domain);
  const evaluate = (context: EvaluationContext) => client.getStringDetails('checkout', 'fallback', context);
  const suspensions = async () => {
    await provider.audit.flush();
    return sink.records.filter((r) => r.event.action === 'enforcement-suspended');
  };
  const suspended = async () =>
    points((await otel.metrics()).get('flagstate.enforcement.suspended')).map(([attrs, v]) => [attrs, v]);
  return { provider, store, sink, warnings, events, evaluate, suspensions, suspended };
}

describe('StateMachineProvider when enforcement cannot decide', () => {
  it('hold (the default): a known subject keeps the state it was last served, a new one gets the caller default', async () => {
    const s = await setup();
    await s.evaluate({ targetingKey: 'known', want: 'legacy' });
    await s.evaluate({ targetingKey: 'known', want: 'canary' });
    s.store.down = true;
    const known = await s.evaluate({ targetingKey: 'known', want: 'v2' });
    expect(known).toMatchObject({
      value: 'new-flow',
      variant: 'canary',
      flagMetadata: { 'flagstate.requested': 'v2', 'flagstate.held': 'store_unavailable' },
    });
    expect(known.errorCode).toBeUndefined();
    const stranger = await s.evaluate({ targetingKey: 'stranger', want: 'v2' });
    expect(stranger).toMatchObject({ value: 'fallback', reason: 'ERROR', errorCode: 'GENERAL' });
    expect(stranger.errorMessage).toBe(
      `the state store is unavailable, so machine "checkout" cannot be enforced: the caller's default is served (whenUndecided: "hold")`,
    );
    expect(s.events).toEqual([ProviderEvents.Stale]);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toMatch(
      /^flagstate: machine "checkout": enforcement suspended \(store_unavailable: ECONNREFUSED/,
    );
    // The hook observed nothing while the store was down: no record, no failure.
    expect(s.provider.hook.stats()).toMatchObject({ undecided: 1, failures: 0 });
    expect(await s.suspended()).toEqual([
      [
        {
          'flagstate.machine': 'checkout',
          'flagstate.reason': 'store_unavailable',
          'flagstate.policy': 'hold',
        },
        2,
      ],
    ]);

    // The store answers again: READY, and the window's evidence is written.
    s.store.down = false;
    await s.evaluate({ targetingKey: 'known', want: 'canary' });
    expect(s.events).toEqual([ProviderEvents.Stale, ProviderEvents.Ready]);
    const [record, ...more] = await s.suspensions();
    expect(more).toEqual([]);
    expect(record!.audit.suspension).toMatchObject({
      machine: 'checkout',
      reason: 'store_unavailable',
      policy: 'hold',
      evaluations: 2,
      served: { canary: 1, '(default)': 1 },
      error: 'ECONNREFUSED 127.0.0.1:6379',
    });
    expect(record!.message).toBe(
      'checkout: enforcement suspended for 2 evaluations (store_unavailable); policy hold served canary 1, (default) 1',
    );
    expect(record!.event).toMatchObject({ outcome: 'failure', type: ['info'], reason: 'store_unavailable' });
    await OpenFeature.clearProviders();
  });

  it('default: the caller default for everyone; targeting: targeting unenforced, marked; both leave the record', async () => {
    for (const [policy, expected] of [
      ['default', { value: 'fallback', reason: 'ERROR' }],
      ['targeting', { value: 'new-flow', variant: 'v2' }],
    ] as const) {
      const s = await setup(policy);
      await s.evaluate({ targetingKey: 'u', want: 'legacy' });
      s.store.down = true;
      expect(await s.evaluate({ targetingKey: 'u', want: 'v2' })).toMatchObject(expected);
      await s.provider.onClose();
      const [record] = await s.suspensions();
      expect(record?.audit.suspension).toMatchObject({ policy, evaluations: 1 });
    }
    await OpenFeature.clearProviders();
  });

  it('a missing or unusable subject in enforce mode is held to the policy, not served targeting raw', async () => {
    const s = await setup();
    for (const context of [
      { want: 'v2' },
      { targetingKey: '', want: 'v2' },
      { targetingKey: { id: 1 }, want: 'v2' },
    ]) {
      const d = await s.evaluate(context as EvaluationContext);
      expect(d).toMatchObject({ value: 'fallback', reason: 'ERROR' });
    }
    await s.provider.onClose();
    const records = await s.suspensions();
    expect(records.map((r) => r.audit.suspension)).toMatchObject([
      { reason: 'subject_unusable', evaluations: 3, served: { '(default)': 3 } },
    ]);
    // Not a store outage: the provider stays ready.
    expect(s.events).toEqual([]);
    await OpenFeature.clearProviders();
  });
});
