import {
  LruStateStore,
  type MachineSet,
  type Outcome,
  outcomeChain,
  parseMachines,
  type StateOutcome,
  stateRecord,
  TransitionEngine,
} from '@flagstate/core';
import { AsyncStore } from '@flagstate/test-kit';
import { describe, expect, it } from 'vitest';
import { checkoutDocument, HOUR } from './fixtures/checkout.js';

const DAY = 24 * HOUR;

function setup(machines: MachineSet = parseMachines(checkoutDocument)) {
  let now = Date.UTC(2026, 10, 23);
  const store = new LruStateStore();
  const engine = new TransitionEngine({ machines, store, clock: { now: () => now } });
  const observe = (state: string, extra: { subject?: string; pending?: string; heldReason?: string } = {}) =>
    engine.observe({ machine: 'checkout', subject: extra.subject ?? 'user-42', state, ...extra }) as Outcome;
  return {
    engine,
    store,
    observe,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

function changed(outcome: Outcome): StateOutcome {
  if (outcome.kind === 'steady') throw new Error('expected a change');
  return outcome;
}

describe('TransitionEngine', () => {
  it('init: the first observation writes version 1', () => {
    const { observe, store, now } = setup();
    const o = changed(observe('legacy'));
    expect(o).toMatchObject({
      kind: 'init',
      action: 'state-init',
      subject: 'user-42',
      from: undefined,
      to: 'legacy',
      subjectVersion: 1,
      machineVersion: 3,
      previousEnteredAt: undefined,
      dwellMs: undefined,
      reason: undefined,
    });
    expect(store.get('checkout', 'user-42')).toEqual(stateRecord('legacy', 1, 3, now(), undefined, false));
  });

  it('init: a first state reachable from initial is fine, an unreachable one is illegal', () => {
    const { observe } = setup();
    expect(changed(observe('v2')).kind).toBe('init');
    const s = setup(
      parseMachines({
        machines: {
          checkout: {
            version: 1,
            initial: 'a',
            flags: ['c'],
            states: { a: {}, island: {} },
            transitions: [],
          },
        },
      }),
    );
    expect(changed(s.observe('island'))).toMatchObject({
      kind: 'illegal',
      reason: 'unreachable_from_initial',
    });
    expect(changed(s.observe('nowhere', { subject: 'u2' }))).toMatchObject({
      kind: 'illegal',
      reason: 'unknown_state',
    });
  });

  it('steady: the same state writes nothing and returns the shared steady outcome', () => {
    const { observe, store, advance } = setup();
    observe('legacy');
    advance(1_000);
    const a = observe('legacy');
    const b = observe('legacy');
    expect(a.kind).toBe('steady');
    expect(a).toBe(b);
    expect(store.get('checkout', 'user-42')!.version).toBe(1);
  });

  it('transition: an allowed move after the bake time, with name, dwell and version', () => {
    const { observe, advance, now } = setup();
    observe('legacy');
    const entered = now();
    advance(5_000);
    expect(changed(observe('canary'))).toMatchObject({
      kind: 'transition',
      action: 'state-transition',
      from: 'legacy',
      to: 'canary',
      transition: 'start-canary',
      subjectVersion: 2,
      previousEnteredAt: entered,
      dwellMs: 5_000,
    });
    advance(HOUR);
    expect(changed(observe('v2'))).toMatchObject({
      kind: 'transition',
      transition: 'promote',
      dwellMs: HOUR,
    });
  });

  it('transition: a clock behind the stored entry (skewed replicas) does not make a legal move early', () => {
    const { observe, advance } = setup();
    observe('legacy');
    advance(-10_000);
    // legacy has no bake time: the move is legal whatever the clocks say.
    expect(changed(observe('canary'))).toMatchObject({ kind: 'transition', dwellMs: 0 });
    advance(-10_000);
    // canary bakes for an hour: a negative stay has not baked.
    expect(changed(observe('v2'))).toMatchObject({ kind: 'illegal', reason: 'min_dwell', dwellMs: 0 });
  });

  it('illegal: the store follows what was served, and the outcome says why', () => {
    const { observe, store, advance } = setup();
    observe('legacy');
    advance(1);
    expect(changed(observe('v2'))).toMatchObject({
      kind: 'illegal',
      from: 'legacy',
      to: 'v2',
      reason: 'not_allowed',
    });
    expect(store.get('checkout', 'user-42')).toMatchObject({ state: 'v2', version: 2 });
    advance(1);
    expect(changed(observe('legacy'))).toMatchObject({ kind: 'transition', transition: 'rollback' });
    advance(1);
    expect(changed(observe('canary'))).toMatchObject({ kind: 'transition' });
    advance(HOUR - 1);
    expect(changed(observe('v2'))).toMatchObject({
      kind: 'illegal',
      reason: 'min_dwell',
      transition: 'promote',
      dwellMs: HOUR - 1,
    });
    advance(1);
    expect(changed(observe('retired'))).toMatchObject({ kind: 'transition' });
    advance(1);
    expect(changed(observe('legacy'))).toMatchObject({ kind: 'illegal', reason: 'final_state' });
    advance(1);
    expect(changed(observe('mystery'))).toMatchObject({ kind: 'illegal', reason: 'unknown_state' });
    expect(store.get('checkout', 'user-42')).toMatchObject({ state: 'mystery', version: 8 });
  });

  it('a move out of an unknown state is judged from the last known state: a skipped state is illegal', () => {
    const { observe, store, advance } = setup();
    observe('legacy');
    advance(1);
    expect(changed(observe('beta'))).toMatchObject({
      kind: 'illegal',
      reason: 'unknown_state',
      from: 'legacy',
      to: 'beta',
      subjectVersion: 2,
    });
    expect(store.get('checkout', 'user-42')).toMatchObject({
      state: 'beta',
      stale: true,
      lastKnown: 'legacy',
    });
    advance(1);
    expect(observe('beta').kind).toBe('steady');
    // Into another unknown state: still illegal, and legacy is still the one to judge from.
    expect(changed(observe('gamma'))).toMatchObject({ kind: 'illegal', reason: 'unknown_state' });
    expect(store.get('checkout', 'user-42')).toMatchObject({ state: 'gamma', lastKnown: 'legacy' });
    // legacy -> v2 skips canary: not declared.
    expect(changed(observe('v2'))).toMatchObject({
      kind: 'illegal',
      action: 'state-transition-illegal',
      reason: 'not_allowed',
      from: 'gamma',
      to: 'v2',
      subjectVersion: 4,
      judgedFrom: 'legacy',
    });
    expect(store.get('checkout', 'user-42')).toMatchObject({
      state: 'v2',
      stale: false,
      lastKnown: undefined,
    });
  });

  it('a move out of an unknown state into a declared next state, or back, is a transition', () => {
    const { observe, advance } = setup();
    observe('legacy', { subject: 'a' });
    observe('0', { subject: 'a' });
    expect(changed(observe('canary', { subject: 'a' }))).toMatchObject({
      kind: 'transition',
      from: '0',
      to: 'canary',
      transition: 'start-canary',
    });
    observe('legacy', { subject: 'b' });
    advance(1);
    observe('0', { subject: 'b' });
    expect(changed(observe('legacy', { subject: 'b' }))).toMatchObject({
      kind: 'transition',
      from: '0',
      to: 'legacy',
      transition: undefined,
    });
    // First seen in an unknown state: nothing known to judge from, so the move out is stale.
    observe('0', { subject: 'c' });
    expect(changed(observe('v2', { subject: 'c' }))).toMatchObject({
      kind: 'stale',
      reason: 'unknown_state',
    });
  });

  it('held: once per distinct pending target, leaving the state as it was', () => {
    const { observe, store, advance } = setup();
    observe('legacy');
    advance(1);
    observe('canary');
    const held = changed(observe('canary', { pending: 'v2', heldReason: 'min_dwell' }));
    expect(held).toMatchObject({
      kind: 'held',
      action: 'state-transition-held',
      from: 'canary',
      to: 'canary',
      pending: 'v2',
      reason: 'min_dwell',
      subjectVersion: 3,
    });
    expect(observe('canary', { pending: 'v2', heldReason: 'min_dwell' }).kind).toBe('steady');
    expect(changed(observe('canary', { pending: 'retired', heldReason: 'guard' }))).toMatchObject({
      kind: 'held',
      pending: 'retired',
    });
    expect(store.get('checkout', 'user-42')).toMatchObject({
      state: 'canary',
      version: 4,
      pending: 'retired',
    });
    advance(HOUR);
    // Moving on clears the pending target; being served the target is not "pending".
    expect(changed(observe('v2', { pending: 'v2' }))).toMatchObject({
      kind: 'transition',
      pending: undefined,
    });
  });

  it('stale: maxDwell overrun, reported once per stay', () => {
    const { observe, advance } = setup();
    observe('v2');
    advance(90 * DAY);
    expect(observe('v2').kind).toBe('steady');
    advance(1);
    const stale = changed(observe('v2'));
    expect(stale).toMatchObject({
      kind: 'stale',
      action: 'state-stale',
      reason: 'max_dwell',
      from: 'v2',
      to: 'v2',
    });
    expect(stale.dwellMs).toBe(90 * DAY + 1);
    advance(DAY);
    expect(observe('v2').kind).toBe('steady');
    // A new stay in v2 may be reported again.
    observe('legacy');
    advance(1);
    observe('canary');
    advance(HOUR);
    observe('v2');
    advance(91 * DAY);
    expect(changed(observe('v2')).reason).toBe('max_dwell');
  });

  it('migration: an older record is mapped, then the observation is decided against it', () => {
    const v2 = parseMachines({
      machines: {
        checkout: {
          version: 2,
          initial: 'legacy',
          flags: ['checkout'],
          states: { legacy: {}, beta: {}, gone: {} },
          transitions: [{ from: 'legacy', to: 'beta' }],
        },
      },
    });
    const s = setup(v2);
    s.observe('legacy');
    s.advance(1);
    s.observe('beta');
    s.observe('gone', { subject: 'user-7' });
    s.observe('legacy', { subject: 'user-8' });
    s.engine.machines = parseMachines(checkoutDocument); // version 3 maps beta -> canary

    const steadyAfter = changed(s.observe('canary'));
    expect(steadyAfter).toMatchObject({
      kind: 'migration',
      action: 'state-migration',
      from: 'beta',
      to: 'canary',
      subjectVersion: 3,
      machineVersion: 3,
      prior: undefined,
    });
    expect(s.store.get('checkout', 'user-42')).toMatchObject({
      state: 'canary',
      machineVersion: 3,
      version: 3,
    });

    // A state with no migration and unknown to version 3 is stale; the store follows.
    expect(changed(s.observe('legacy', { subject: 'user-7' }))).toMatchObject({
      kind: 'stale',
      reason: 'unknown_state',
      from: 'gone',
      to: 'legacy',
    });
    // A state that still exists needs no migration and no write.
    expect(s.observe('legacy', { subject: 'user-8' }).kind).toBe('steady');

    // Migration followed by a transition in the same observation: two writes, in order.
    const s2 = setup(v2);
    s2.observe('legacy');
    s2.advance(1);
    s2.observe('beta');
    s2.engine.machines = parseMachines(checkoutDocument);
    s2.advance(HOUR);
    const chain = outcomeChain(s2.observe('v2'));
    expect(chain.map((o) => [o.kind, o.from, o.to, o.subjectVersion])).toEqual([
      ['migration', 'beta', 'canary', 3],
      ['transition', 'canary', 'v2', 4],
    ]);
  });

  it('stale: a record written by a newer machine version is reported once, never downgraded', () => {
    const s = setup();
    s.store.compareAndSet('checkout', 'user-42', 0, stateRecord('v2', 1, 9, s.now(), undefined, false));
    expect(changed(s.observe('v2'))).toMatchObject({ kind: 'stale', reason: 'newer_machine_version' });
    expect(s.store.get('checkout', 'user-42')).toMatchObject({ machineVersion: 9, stale: true });
    expect(s.observe('v2').kind).toBe('steady');
  });

  it('race: a lost compare-and-set is reported, re-read, and decided again', async () => {
    const machines = parseMachines(checkoutDocument);
    const store = new AsyncStore(new LruStateStore());
    const engine = new TransitionEngine({ machines, store, clock: { now: () => 10 } });
    const [a, b] = await Promise.all([
      engine.observe({ machine: 'checkout', subject: 'u', state: 'legacy' }),
      engine.observe({ machine: 'checkout', subject: 'u', state: 'canary' }),
    ]);
    const chains = [outcomeChain(a!), outcomeChain(b!)];
    const all = chains.flat();
    const races = all.filter((o) => o.kind === 'race');
    expect(races).toHaveLength(1);
    expect(races[0]).toMatchObject({
      action: 'state-race',
      reason: 'lost_compare_and_set',
      subjectVersion: 1,
    });
    expect(races[0]!.record).toBeUndefined();
    // The loser decided again from the winner's record and wrote version 2.
    const writes = all.filter((o) => o.kind !== 'race').map((o) => o.subjectVersion);
    expect(writes.sort()).toEqual([1, 2]);
    const final = store.inner.get('checkout', 'u')!;
    expect(final.version).toBe(2);
  });

  it('race: gives up after maxRetries against a writer that always wins', async () => {
    const machines = parseMachines(checkoutDocument);
    const store = new AsyncStore(new LruStateStore());
    let v = 0;
    store.compareAndSet = async () => false;
    store.get = async () => stateRecord('legacy', ++v, 3, 0, undefined, false);
    const engine = new TransitionEngine({ machines, store, maxRetries: 2, clock: { now: () => 1 } });
    const chain = outcomeChain(await engine.observe({ machine: 'checkout', subject: 'u', state: 'canary' }));
    expect(chain.map((o) => o.reason)).toEqual([
      'lost_compare_and_set',
      'lost_compare_and_set',
      'retries_exhausted',
    ]);
  });

  it('is synchronous with a synchronous store, and rejects unknown machines', () => {
    const { engine } = setup();
    const result = engine.observe({ machine: 'checkout', subject: 'x', state: 'legacy' });
    expect(result).not.toBeInstanceOf(Promise);
    expect(() => engine.observe({ machine: 'nope', subject: 'x', state: 'a' })).toThrow(
      /unknown machine "nope"/,
    );
  });
});
