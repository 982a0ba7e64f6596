import { type AuditRecord, createAuditLog, memorySink } from '@flagstate/audit';
import { StateMachineProvider } from '@flagstate/provider';
import { checkoutDocument, HOUR } from '@flagstate/test-kit';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it } from 'vitest';

let domain = 0;

async function setup(doc: object = checkoutDocument()) {
  let now = Date.UTC(2026, 10, 23);
  let clockReads = 0;
  const sink = memorySink();
  const audit = createAuditLog({ sinks: [sink], checkpointEvery: 0 });
  const clock = {
    now: () => {
      clockReads++;
      return now;
    },
  };
  const provider = new StateMachineProvider({ source: doc, audit, clock });
  const name = `enforce-${domain++}`;
  await OpenFeature.setProviderAndWait(name, provider);
  const client = OpenFeature.getClient(name);
  return {
    provider,
    client,
    advance: (ms: number) => {
      now += ms;
    },
    clockReads: () => clockReads,
    ask: (subject: string, want: string, extra: Record<string, unknown> = {}) =>
      client.getStringDetails('checkout', 'fallback', { targetingKey: subject, want, ...extra }),
    records: async (): Promise<AuditRecord[]> => {
      await audit.flush();
      return sink.records.filter((r) => r.state_change);
    },
  };
}

afterEach(async () => {
  await OpenFeature.close();
});

describe('StateMachineProvider enforcement', () => {
  it('serves a legal move, steps toward a far target, and holds for the bake time', async () => {
    const s = await setup();
    expect((await s.ask('u', 'legacy')).variant).toBe('legacy');
    s.advance(1);
    const stepped = await s.ask('u', 'v2');
    expect(stepped).toMatchObject({
      value: 'new-flow',
      variant: 'canary',
      reason: 'TARGETING_MATCH',
      flagMetadata: {
        'flagstate.machine': 'checkout',
        'flagstate.requested': 'v2',
        'flagstate.held': 'illegal',
      },
    });
    s.advance(HOUR - 2);
    expect((await s.ask('u', 'v2')).flagMetadata).toMatchObject({ 'flagstate.held': 'min_dwell' });
    expect((await s.ask('u', 'v2')).variant).toBe('canary');
    s.advance(2);
    const promoted = await s.ask('u', 'v2');
    expect(promoted.variant).toBe('v2');
    expect(promoted.flagMetadata).not.toHaveProperty('flagstate.held');
    const records = await s.records();
    expect(records.map((r) => [r.event.action, r.state_change!.to, r.state_change!.pending ?? null])).toEqual(
      [
        ['state-init', 'legacy', null],
        ['state-transition', 'canary', null],
        ['state-transition-held', 'canary', 'v2'],
        ['state-transition', 'v2', null],
      ],
    );
    // The hold is recorded once per distinct target, however often the subject asks.
    expect(records.filter((r) => r.event.action === 'state-transition-held')).toHaveLength(1);
  });

  it('holds on a failing flag guard and a failing JSON Logic guard, and on an unreachable target', async () => {
    const closed = await setup(checkoutDocument({ gate: false }));
    await closed.ask('u', 'legacy');
    await closed.ask('u', 'canary');
    closed.advance(2 * HOUR);
    expect((await closed.ask('u', 'v2')).flagMetadata).toMatchObject({ 'flagstate.held': 'guard' });

    const open = await setup();
    await open.ask('u', 'canary');
    open.advance(2 * HOUR);
    await open.ask('u', 'v2');
    expect((await open.ask('u', 'retired', { plan: 'free' })).flagMetadata).toMatchObject({
      'flagstate.held': 'guard',
    });
    expect((await open.ask('u', 'retired', { plan: 'enterprise' })).variant).toBe('retired');
    const stuck = await open.ask('u', 'legacy');
    expect(stuck).toMatchObject({ variant: 'retired', flagMetadata: { 'flagstate.held': 'unreachable' } });
  });

  it('enforces through a stateFrom map: targeting asks for a variant, the machine serves the variant of the allowed state', async () => {
    const doc = checkoutDocument();
    const flag = doc.flags.checkout;
    // Variants named after the flows, not the states: the map says which state each serves.
    flag.variants = { old: 'legacy-flow', trial: 'new-flow', next: 'new-flow', gone: 'legacy-flow' } as never;
    flag.defaultVariant = 'old';
    const names = { legacy: 'old', canary: 'trial', v2: 'next', retired: 'gone' };
    flag.targeting = {
      if: [{ in: [{ var: 'want' }, Object.values(names)] }, { var: 'want' }, 'old'],
    } as never;
    Object.assign(doc.machines.checkout, {
      stateFrom: { variant: { old: 'legacy', trial: 'canary', next: 'v2', gone: 'retired' } },
    });
    const s = await setup(doc);
    expect((await s.ask('u', 'old')).variant).toBe('old');
    s.advance(1);
    const stepped = await s.ask('u', 'next');
    expect(stepped).toMatchObject({
      variant: 'trial',
      value: 'new-flow',
      flagMetadata: { 'flagstate.requested': 'v2', 'flagstate.held': 'illegal' },
    });
    expect((await s.records()).map((r) => [r.event.action, r.state_change!.to])).toEqual([
      ['state-init', 'legacy'],
      ['state-transition', 'canary'],
    ]);
  });

  it('serves a never-seen subject its target when reachable from the initial state', async () => {
    const s = await setup();
    expect((await s.ask('new-1', 'v2')).variant).toBe('v2');
    expect((await s.ask('new-2', 'canary')).variant).toBe('canary');
  });

  it('builds no metadata object on a steady evaluation: one per flag, target and held reason, reused', async () => {
    const s = await setup();
    const noop = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
    const direct = (subject: string, want: string) =>
      s.provider.resolveStringEvaluation('checkout', 'fallback', { targetingKey: subject, want }, noop);
    await s.ask('u1', 'canary');
    await s.ask('u2', 'canary');
    const [a, b] = [await direct('u1', 'canary'), await direct('u2', 'canary')];
    expect(a.flagMetadata).toEqual({ 'flagstate.machine': 'checkout', 'flagstate.requested': 'canary' });
    expect(b.flagMetadata).toBe(a.flagMetadata);
    // Held: its own metadata, reused for the same reason, and the steady one is still the same.
    const [h1, h2] = [await direct('u1', 'v2'), await direct('u2', 'v2')];
    expect(h1.flagMetadata).toEqual({
      'flagstate.machine': 'checkout',
      'flagstate.requested': 'v2',
      'flagstate.held': 'min_dwell',
    });
    expect(h2.flagMetadata).toBe(h1.flagMetadata);
    expect((await direct('u1', 'canary')).flagMetadata).toBe(a.flagMetadata);
  });

  it('reads the clock only for a bake time: a steady evaluation needs no time', async () => {
    const s = await setup();
    const noop = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
    const direct = (want: string) =>
      s.provider.resolveStringEvaluation('checkout', 'fallback', { targetingKey: 'u', want }, noop);
    await s.ask('u', 'legacy');
    await s.ask('u', 'canary');
    const before = s.clockReads();
    expect((await direct('canary')).variant).toBe('canary');
    expect(s.clockReads()).toBe(before);
    // Toward v2 while canary bakes: the time decides, and is read.
    expect((await direct('v2')).flagMetadata).toMatchObject({ 'flagstate.held': 'min_dwell' });
    expect(s.clockReads()).toBe(before + 1);
  });

  it('serves targeting unchanged in audit mode and for unbound flags', async () => {
    const s = await setup(checkoutDocument({ enforcement: 'audit' }));
    await s.ask('u', 'legacy');
    const skipped = await s.ask('u', 'v2');
    expect(skipped.variant).toBe('v2');
    expect(skipped.flagMetadata).not.toHaveProperty('flagstate.held');
    expect((await s.records()).map((r) => r.event.action)).toEqual([
      'state-init',
      'state-transition-illegal',
    ]);
    const unbound = await s.client.getStringDetails('unbound', 'x', { targetingKey: 'u' });
    expect(unbound).toMatchObject({
      value: 'A',
      variant: 'a',
      reason: 'STATIC',
      flagMetadata: { owner: 'team-x' },
    });
    const missing = await s.client.getStringDetails('nope', 'x', { targetingKey: 'u' });
    expect(missing).toMatchObject({ value: 'x', errorCode: 'FLAG_NOT_FOUND', reason: 'ERROR' });
  });
});

const WANT = { if: [{ in: [{ var: 'want' }, ['a', 'b', 'c', 'd']] }, { var: 'want' }, 'a'] };
const gate = (open: boolean) => ({
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant: open ? 'on' : 'off',
});

/** a -> b -> d and a -> c -> d, two shortest ways to d; the one through b is gated. */
function twoWaysDocument(viaBOpen: boolean) {
  return {
    flags: {
      full: {
        state: 'ENABLED',
        variants: { a: 'A', b: 'B', c: 'C', d: 'D' },
        defaultVariant: 'a',
        targeting: WANT,
      },
      partial: { state: 'ENABLED', variants: { a: 'A', d: 'D' }, defaultVariant: 'a', targeting: WANT },
      viaB: gate(viaBOpen),
    },
    machines: {
      m: {
        version: 1,
        flags: ['full', 'partial'],
        initial: 'a',
        enforcement: 'enforce',
        states: { a: {}, b: {}, c: {}, d: {} },
        transitions: [
          { from: 'a', to: 'b', guard: { flag: 'viaB' } },
          { from: 'a', to: 'c' },
          { from: ['b', 'c'], to: 'd' },
        ],
      },
    },
  };
}

/** A guarded promotion with a rollback edge: the way round through the rollback must not loop. */
function rollbackDocument() {
  return {
    flags: {
      full: { state: 'ENABLED', variants: { a: 'A', b: 'B', c: 'C' }, defaultVariant: 'a', targeting: WANT },
      approved: gate(false),
    },
    machines: {
      m: {
        version: 1,
        flags: ['full'],
        initial: 'a',
        enforcement: 'enforce',
        states: { a: {}, b: {}, c: {} },
        transitions: [
          { from: 'a', to: 'b' },
          { from: 'b', to: 'a', name: 'rollback' },
          { from: ['a', 'b'], to: 'c', guard: { flag: 'approved' } },
        ],
      },
    },
  };
}

describe('StateMachineProvider enforcement across guards and flags of one machine', () => {
  const ask = (s: Awaited<ReturnType<typeof setup>>, flag: string, want: string) =>
    s.client.getStringDetails(flag, 'fallback', { targetingKey: 'u', want });

  it('takes the other shortest way when a guard closes one, and waits when every way is closed', async () => {
    const s = await setup(twoWaysDocument(false));
    await ask(s, 'full', 'a');
    expect(await ask(s, 'full', 'd')).toMatchObject({
      variant: 'c',
      flagMetadata: { 'flagstate.held': 'illegal' },
    });
    expect((await ask(s, 'full', 'd')).variant).toBe('d');

    const open = await setup(twoWaysDocument(true));
    await ask(open, 'full', 'a');
    // Both ways are open: the first declared is taken.
    expect((await ask(open, 'full', 'd')).variant).toBe('b');
  });

  it('never walks a subject round a closed guard through a rollback edge', async () => {
    const s = await setup(rollbackDocument());
    await ask(s, 'full', 'a');
    const served = [];
    for (let i = 0; i < 6; i++) served.push((await ask(s, 'full', 'c')).flagMetadata['flagstate.held']);
    expect(served).toEqual(Array(6).fill('guard'));
    expect((await s.records()).map((r) => [r.event.action, r.state_change!.to])).toEqual([
      ['state-init', 'a'],
      ['state-transition-held', 'a'],
    ]);
  });

  it('holds where the subject is when the flag asked cannot serve the step, never leaking the target', async () => {
    const s = await setup(twoWaysDocument(true));
    await ask(s, 'partial', 'a');
    // The step is "b", which "partial" has no variant for: the subject stays in "a".
    expect(await ask(s, 'partial', 'd')).toMatchObject({
      value: 'A',
      variant: 'a',
      flagMetadata: { 'flagstate.requested': 'd', 'flagstate.held': 'illegal' },
    });
    await ask(s, 'full', 'b');
    // In "b", which "partial" cannot express, a move it may not make gets the caller's default.
    const detail = await ask(s, 'partial', 'a');
    expect(detail).toMatchObject({ value: 'fallback', reason: 'ERROR', errorCode: 'GENERAL' });
    expect(detail.errorMessage).toBe(
      'flag "partial" has no variant for state "b" of machine "m", where the provider holds subject "u"',
    );
    const actions = (await s.records()).map((r) => [r.event.action, r.state_change!.to]);
    expect(actions).toEqual([
      ['state-init', 'a'],
      ['state-transition-held', 'a'],
      ['state-transition', 'b'],
    ]);
  });
});
