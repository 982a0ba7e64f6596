import {
  LruStateStore,
  type Machine,
  type MachineDefinitionInput,
  outcomeChain,
  parseMachines,
  type StateRecord,
  TransitionEngine,
} from '@flagstate/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsyncStore } from './fixtures/async-store.js';

const STATES = ['s0', 's1', 's2', 's3', 's4', 's5'];

/** A random valid machine: some states, some final, some bake times, random edges between them. */
const machineArb = fc
  .record({
    count: fc.integer({ min: 2, max: 6 }),
    finals: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    minDwell: fc.array(fc.constantFrom(0, 0, 5, 20), { minLength: 6, maxLength: 6 }),
    maxDwell: fc.array(fc.constantFrom(undefined, undefined, 50), { minLength: 6, maxLength: 6 }),
    edges: fc.array(fc.tuple(fc.nat(5), fc.nat(5)), { maxLength: 20 }),
  })
  .map(({ count, finals, minDwell, maxDwell, edges }) => {
    const names = STATES.slice(0, count);
    const isFinal = (i: number) => i !== 0 && finals[i] === true;
    const seen = new Set<string>();
    const transitions = edges
      .map(([a, b]) => [a % count, b % count] as const)
      .filter(([a, b]) => a !== b && !isFinal(a) && !seen.has(`${a}>${b}`) && seen.add(`${a}>${b}`))
      .map(([a, b]) => ({ from: names[a]!, to: names[b]! }));
    const states = Object.fromEntries(
      names.map((n, i) => [
        n,
        isFinal(i)
          ? { final: true }
          : { minDwell: minDwell[i]!, ...(maxDwell[i] !== undefined ? { maxDwell: maxDwell[i] } : {}) },
      ]),
    );
    const def: MachineDefinitionInput = { version: 1, initial: 's0', flags: ['f'], states, transitions };
    return parseMachines({ machines: { m: def } }).get('m')!;
  });

const stepArb = fc.record({
  subject: fc.constantFrom('u0', 'u1', 'u2', 'u:3', 'u4'),
  state: fc.constantFrom(...STATES, 'ghost'),
  pending: fc.option(fc.constantFrom(...STATES), { nil: undefined }),
  advance: fc.constantFrom(0, 1, 7, 30, 60),
});

interface Model {
  versions: Map<string, number[]>;
  last: Map<string, StateRecord>;
}

type Step = { subject: string; state: string; pending: string | undefined; advance: number };

function check(machine: Machine, steps: Step[]) {
  let now = 0;
  const store = new LruStateStore();
  const engine = new TransitionEngine({
    machines: parseMachines({ machines: {} }),
    store,
    clock: { now: () => now },
  });
  const model: Model = { versions: new Map(), last: new Map() };
  for (const step of steps) {
    now += step.advance;
    const before = store.get('m', step.subject);
    const outcome = engine.observe({
      machine,
      subject: step.subject,
      state: step.state,
      pending: step.pending,
    });
    if (outcome instanceof Promise) throw new Error('a synchronous store must give a synchronous outcome');
    const chain = outcomeChain(outcome);
    for (const o of chain) {
      expect(o.kind).not.toBe('race');
      const list = model.versions.get(step.subject) ?? [];
      list.push(o.subjectVersion);
      model.versions.set(step.subject, list);
      model.last.set(step.subject, o.record!);
    }
    const after = store.get('m', step.subject)!;
    // The store follows what the subject was served, whatever the machine thinks of it.
    expect(after.state).toBe(step.state);
    const final = chain.at(-1);
    if (final === undefined) {
      expect(after).toBe(before);
      continue;
    }
    if (final.kind === 'held') expect(final.to).toBe(before!.state);
    if (before !== undefined && before.state !== step.state && before.machineVersion === 1) {
      const known = machine.hasState(before.state) && machine.hasState(step.state);
      const t = known ? machine.transition(before.state, step.state) : undefined;
      const baked = now - before.enteredAt >= (machine.state(before.state)?.minDwellMs ?? 0);
      if (known && machine.hasState(before.state)) {
        expect(final.kind).toBe(t !== undefined && baked ? 'transition' : 'illegal');
      }
      if (final.kind === 'illegal') expect(final.reason).toBeDefined();
    }
  }
  for (const [subject, versions] of model.versions) {
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    expect(store.get('m', subject)).toEqual(model.last.get(subject));
  }
}

describe('TransitionEngine properties', () => {
  it('versions run 1..n, the store holds the last outcome, illegal moves are applied and flagged', () => {
    fc.assert(
      fc.property(machineArb, fc.array(stepArb, { minLength: 1, maxLength: 120 }), (machine, steps) =>
        check(machine, steps),
      ),
      { numRuns: 300 },
    );
  }, 120_000);

  it('concurrent observations through an async store lose races but never versions', async () => {
    await fc.assert(
      fc.asyncProperty(
        machineArb,
        fc.array(fc.array(stepArb, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 12 }),
        async (machine, batches) => {
          const store = new AsyncStore();
          let now = 0;
          const engine = new TransitionEngine({
            machines: parseMachines({ machines: {} }),
            store,
            clock: { now: () => now },
            maxRetries: 100,
          });
          const written = new Map<string, number[]>();
          for (const batch of batches) {
            now += 10;
            const outcomes = await Promise.all(
              batch.map((s) =>
                engine.observe({ machine, subject: s.subject, state: s.state, pending: s.pending }),
              ),
            );
            for (const o of outcomes.flatMap(outcomeChain)) {
              if (o.kind === 'race') {
                expect(o.reason).toBe('lost_compare_and_set');
                continue;
              }
              written.set(o.subject, [...(written.get(o.subject) ?? []), o.subjectVersion]);
            }
          }
          for (const [subject, versions] of written) {
            const sorted = [...versions].sort((a, b) => a - b);
            expect(sorted).toEqual(sorted.map((_, i) => i + 1));
            expect(store.inner.get('m', subject)!.version).toBe(sorted.length);
          }
        },
      ),
      { numRuns: 100 },
    );
  }, 120_000);
});
