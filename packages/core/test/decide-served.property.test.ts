import { LruStateStore, outcomeChain, parseMachines, stateRecord, TransitionEngine } from '@flagstate/core';
import { decideServed, type Served } from '@flagstate/core/internal';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STATES, versionsArb } from './fixtures/machine-arbitraries.js';

const caseArb = fc.record({
  /** The subject's stored record, or none. */
  stored: fc.option(
    fc.record({
      state: fc.constantFrom(...STATES, 'ghost'),
      enteredAt: fc.constantFrom(0, 10, 40),
      olderVersion: fc.boolean(),
    }),
    { nil: undefined },
  ),
  target: fc.constantFrom(...STATES, 'ghost'),
  now: fc.constantFrom(0, 5, 25, 100),
  guardsOpen: fc.boolean(),
});

describe('one enforcement decision', () => {
  it('what the provider serves, the engine never records as illegal: both read the same rules', () => {
    fc.assert(
      fc.property(versionsArb, caseArb, (versions, c) => {
        const machine = versions.at(-1)!;
        const written =
          c.stored && (c.stored.olderVersion && versions.length > 1 ? versions.at(-2)! : machine);
        const store = new LruStateStore();
        if (c.stored !== undefined) {
          store.compareAndSet(
            'm',
            'u',
            0,
            stateRecord(
              c.stored.state,
              1,
              written!.version,
              c.stored.enteredAt,
              undefined,
              !written!.hasState(c.stored.state),
            ),
          );
        }
        const served: Served = { state: '', held: undefined, from: undefined };
        const guards = { guardAllows: () => c.guardsOpen };
        decideServed(served, machine, store.get('m', 'u'), c.target, { now: () => c.now }, guards, {});
        const engine = new TransitionEngine({
          machines: parseMachines({ machines: {} }),
          store,
          clock: { now: () => c.now },
        });
        const outcome = engine.observe({
          machine,
          subject: 'u',
          state: served.state,
          pending: served.held === undefined ? undefined : c.target,
          heldReason: served.held,
        });
        if (outcome instanceof Promise) throw new Error('a synchronous store gives a synchronous outcome');
        for (const o of outcomeChain(outcome)) {
          // A target that is no state of the machine, served to a subject whose own state the
          // machine does not know either, is the one illegal record enforcement lets through:
          // it has nothing to hold the subject in.
          if (o.kind === 'illegal') expect([o.reason, served.from]).toEqual(['unknown_state', undefined]);
          expect(o.kind).not.toBe('race');
        }
      }),
      { numRuns: 500 },
    );
  }, 60_000);
});
