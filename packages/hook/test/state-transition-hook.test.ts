import { createAuditLog, memorySink } from '@flagstate/audit';
import { parseMachines, type StateStore } from '@flagstate/core';
import { StateTransitionHook } from '@flagstate/hook';
import { ErrorCode, type HookContext, OpenFeature } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inMemoryClient, machineDocument } from './fixtures/checkout.js';
import { hookSetup } from './fixtures/hook-setup.js';

afterEach(async () => {
  OpenFeature.clearHooks();
  OpenFeature.setLogger(console);
  await OpenFeature.clearProviders();
});

const capture = () => {
  const logged: string[] = [];
  return { logged, logger: { error: (m: string) => logged.push(m), warn() {}, info() {}, debug() {} } };
};

/** A hook context as the SDK builds it; `hookData` may be left out to play an SDK without it. */
function hookContext(subject: string, hookData: boolean): HookContext {
  return {
    flagKey: 'checkout',
    flagValueType: 'string',
    defaultValue: 'x',
    context: { targetingKey: subject },
    clientMetadata: { providerMetadata: { name: 'test' } },
    providerMetadata: { name: 'test' },
    logger: console,
    ...(hookData ? { hookData: new Map() } : {}),
  } as unknown as HookContext;
}

describe('StateTransitionHook', () => {
  it('ignores unbound flags and ERROR evaluations, counts missing subjects, and leaves trace fields out without a span', async () => {
    const s = await hookSetup(() => 'legacy');
    expect(await s.client.getBooleanValue('plain', false, { targetingKey: 'u' })).toBe(true);
    expect(await s.client.getNumberValue('checkout', 7, { targetingKey: 'u' })).toBe(7); // type mismatch: ERROR
    expect(await s.client.getStringValue('checkout', 'fallback', {})).toBe('legacy-flow');
    expect(s.hook.stats()).toMatchObject({ errorEvaluations: 1, missingSubject: 1, observed: 0 });
    await s.evaluate('u');
    const [record] = await s.records();
    expect(record).not.toHaveProperty('trace');
    expect(record).not.toHaveProperty('span');
  });

  it('with strictSubject, fails evaluations without a subject with TARGETING_KEY_MISSING', async () => {
    const s = await hookSetup(() => 'legacy', { strictSubject: true });
    const details = await s.client.getStringDetails('checkout', 'fallback', {});
    expect(details).toMatchObject({ value: 'fallback', errorCode: ErrorCode.TARGETING_KEY_MISSING });
    expect(await s.records()).toEqual([]);
  });

  it('records an evaluation once when two hooks with their own stores and logs see it', async () => {
    const s = await hookSetup(() => 'legacy');
    const otherSink = memorySink();
    const second = new StateTransitionHook({
      machines: parseMachines(machineDocument),
      audit: createAuditLog({ sinks: [otherSink], service: 'checkout-api' }),
    });
    OpenFeature.addHooks(second);
    await s.evaluate('u');
    await second.audit.flush();
    const all = [...(await s.records()), ...otherSink.records.filter((r) => r.state_change)];
    expect(all).toHaveLength(1);
    expect(second.stats().duplicates + s.hook.stats().duplicates).toBe(1);
    await second.audit.close();
  });

  it('never throws into an evaluation: a store that throws and a sink that fails are logged through the evaluation’s logger and counted', async () => {
    const broken: StateStore = {
      get: () => {
        throw new Error('store down');
      },
      compareAndSet: () => false,
      size: () => 0,
    };
    const evaluation = capture();
    OpenFeature.setLogger(evaluation.logger);
    const s = await hookSetup(() => 'legacy', { store: broken });
    for (let i = 0; i < 5; i++) expect((await s.evaluate(`u${i}`)).value).toBe('legacy-flow');
    expect(s.hook.stats().failures).toBe(5);
    // Logged the 1st, 2nd and 4th time, with the running count, not once per evaluation.
    expect(evaluation.logged.filter((m) => m.includes('flagstate: state tracking failed'))).toEqual([
      'flagstate: state tracking failed (1 time so far): store down',
      'flagstate: state tracking failed (2 times so far): store down',
      'flagstate: state tracking failed (4 times so far): store down',
    ]);

    // A sink fails off the evaluation path: that goes to the `logger` option.
    const offPath = capture();
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
    const hook = new StateTransitionHook({ machines: machineDocument, audit, logger: offPath.logger });
    const of = await inMemoryClient(() => 'legacy', 'failing-sink');
    of.client.addHooks(hook);
    expect(await of.client.getStringValue('checkout', 'x', { targetingKey: 'u' })).toBe('legacy-flow');
    await vi.waitFor(() =>
      expect(offPath.logged.some((m) => m.includes('flagstate: audit sink failed'))).toBe(true),
    );
    expect(hook.stats().failures).toBeGreaterThan(0);
    expect(audit.stats().sinkErrors).toBeGreaterThan(0);
  });

  it('rejected reads of an asynchronous store are logged and counted, and the caller gets its value', async () => {
    const evaluation = capture();
    OpenFeature.setLogger(evaluation.logger);
    const rejecting: StateStore = {
      get: async () => {
        throw new Error('timed out');
      },
      compareAndSet: async () => false,
      size: async () => 0,
    };
    const s = await hookSetup(() => 'canary', { store: rejecting });
    expect((await s.evaluate()).value).toBe('canary-flow');
    await new Promise((r) => setImmediate(r));
    expect(s.hook.stats().failures).toBe(1);
    expect(evaluation.logged).toEqual(['flagstate: state store failed (1 time so far): timed out']);
  });

  it('works with a server SDK that gives no hookData: no duration, no error', async () => {
    const sink = memorySink();
    const hook = new StateTransitionHook({
      machines: machineDocument,
      audit: createAuditLog({ sinks: [sink] }),
    });
    const ctx = hookContext('u', false);
    expect(() => hook.before(ctx)).not.toThrow();
    hook.finally(ctx, { flagKey: 'checkout', value: 'legacy-flow', variant: 'legacy', flagMetadata: {} });
    await hook.audit.close();
    expect(sink.records[0]!.event.action).toBe('state-init');
    expect(sink.records[0]!.event).not.toHaveProperty('duration');
    expect(hook.stats().failures).toBe(0);
  });

  it('measures event.duration from before to finally, in nanoseconds', async () => {
    const sink = memorySink();
    const hook = new StateTransitionHook({
      machines: machineDocument,
      audit: createAuditLog({ sinks: [sink] }),
    });
    const ctx = hookContext('timed', true);
    hook.before(ctx);
    await new Promise((r) => setTimeout(r, 30));
    hook.finally(ctx, { flagKey: 'checkout', value: 'legacy-flow', variant: 'legacy', flagMetadata: {} });
    await hook.audit.close();
    const duration = sink.records[0]!.event.duration!;
    expect(duration).toBeGreaterThanOrEqual(29_000_000);
    expect(duration).toBeLessThan(5_000_000_000);
  });

  it('ignores a hold without the target it held back from', async () => {
    const s = await hookSetup(() => 'canary', { metadata: () => ({ 'flagstate.held': 'min_dwell' }) });
    await s.evaluate();
    await s.evaluate();
    expect((await s.records()).map((r) => [r.event.action, r.state_change!.pending])).toEqual([
      ['state-init', undefined],
    ]);
  });

  it('records feature_flag.context.id, .set.id and .version from flag metadata as OpenFeature Appendix D maps them', async () => {
    let meta: Record<string, string | number | boolean> = {
      contextId: 'session-9',
      flagSetId: 'payments',
      version: 7,
      // Defined by no spec: ignored.
      flagSetVersion: '99',
    };
    const s = await hookSetup(() => 'legacy', { metadata: () => meta });
    await s.evaluate('user-1');
    meta = { version: 'v2026-11' };
    await s.evaluate('user-2');
    meta = { contextId: '', flagSetId: true };
    await s.evaluate('user-3');
    expect((await s.records()).map((r) => [r.state_change!.subject, r.feature_flag])).toEqual([
      [
        'user-1',
        {
          key: 'checkout',
          provider: { name: 'in-memory' },
          result: { variant: 'legacy', reason: 'targeting_match' },
          context: { id: 'session-9' },
          set: { id: 'payments' },
          version: '7',
        },
      ],
      [
        'user-2',
        {
          key: 'checkout',
          provider: { name: 'in-memory' },
          result: { variant: 'legacy', reason: 'targeting_match' },
          // No contextId: the targeting key.
          context: { id: 'user-2' },
          version: 'v2026-11',
        },
      ],
      [
        'user-3',
        {
          key: 'checkout',
          provider: { name: 'in-memory' },
          result: { variant: 'legacy', reason: 'targeting_match' },
          context: { id: 'user-3' },
        },
      ],
    ]);
  });

  it('reads the state from the value when stateFrom is value, as canonical text', async () => {
    const doc = structuredClone(machineDocument) as { machines: { checkout: Record<string, unknown> } };
    Object.assign(doc.machines.checkout, {
      stateFrom: 'value',
      states: { 'legacy-flow': {}, 'canary-flow': {} },
      initial: 'legacy-flow',
      transitions: [{ from: 'legacy-flow', to: 'canary-flow' }],
      migrations: [],
    });
    const s = await hookSetup(() => 'canary', { machines: doc });
    await s.evaluate();
    expect((await s.records())[0]!.state_change).toMatchObject({ to: 'canary-flow' });
  });

  it('takes service and namespace from the audit log only, and says so to a caller that passes them', async () => {
    const sink = memorySink();
    const audit = createAuditLog({ sinks: [sink], service: 'checkout-api', namespace: 'prod' });
    for (const key of ['service', 'namespace']) {
      expect(
        () => new StateTransitionHook({ machines: machineDocument, audit, [key]: 'billing' } as never),
      ).toThrow(
        `${key} is an option of the audit log, which stamps every record: pass audit: createAuditLog({ ${key} })`,
      );
    }
    const hook = new StateTransitionHook({ machines: machineDocument, audit });
    expect([hook.audit.service, hook.audit.namespace]).toEqual(['checkout-api', 'prod']);
    await audit.close();
  });
});
