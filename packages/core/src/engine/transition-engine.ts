import { isPromise } from '@flagstate/audit/internal';
import type { Machine } from '../machine/machine.js';
import type { MachineSet } from '../machine/machine-set.js';
import { blankStateRecord, type MutableStateRecord, type StateRecord } from '../store/state-record.js';
import { type MaybePromise, readStateRecord, type StateStore } from '../store/state-store.js';
import { type Clock, systemClock } from './clock.js';
import { type Decision, decide, type Observed } from './internal/decide.js';
import { runSyncOrAsync } from './internal/run-sync-or-async.js';
import { applied, lost } from './internal/state-outcomes.js';
import type { Observation } from './observation.js';
import { type Outcome, STEADY, type StateOutcome } from './outcome.js';

export interface TransitionEngineOptions {
  machines: MachineSet;
  store: StateStore;
  /** @default systemClock (Date.now) */
  clock?: Clock;
  /**
   * Compare-and-set attempts after a lost race before the engine gives up on an observation.
   * @default 8
   */
  maxRetries?: number;
}

/**
 * The only writer of state records. Turns each observation into one outcome; a lost
 * compare-and-set or an applied migration is kept on it as `prior`.
 */
export class TransitionEngine {
  #machines: MachineSet;
  readonly #store: StateStore;
  readonly #clock: Clock;
  readonly #maxRetries: number;
  readonly #scratch: MutableStateRecord = blankStateRecord();

  constructor(options: TransitionEngineOptions) {
    this.#machines = options.machines;
    this.#store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#maxRetries = options.maxRetries ?? 8;
  }

  get machines(): MachineSet {
    return this.#machines;
  }

  /** Swaps in reloaded machines; stored subjects migrate lazily at their next observation. */
  set machines(machines: MachineSet) {
    this.#machines = machines;
  }

  get store(): StateStore {
    return this.#store;
  }

  /**
   * Records what a subject was served. The observation is read synchronously, so a caller may
   * reuse one object. With a synchronous store the result is synchronous too, and a steady
   * observation allocates nothing.
   */
  observe(observation: Observation): MaybePromise<Outcome> {
    const machine =
      typeof observation.machine === 'string' ? this.#machines.get(observation.machine) : observation.machine;
    if (machine === undefined) throw new TypeError(`unknown machine "${String(observation.machine)}"`);
    const subject = observation.subject;

    // A packed store fills the scratch record: the steady path builds nothing.
    const given = observation.current;
    const current =
      given === undefined
        ? readStateRecord(this.#store, machine.id, subject, this.#scratch)
        : (given ?? undefined);
    if (isPromise(current)) {
      // The caller may reuse its observation as soon as this returns: keep what is needed.
      const seen = observed(observation, observation.at);
      return current.then((record) => this.#decide(machine, subject, seen, record));
    }
    return this.#decide(machine, subject, observation, current);
  }

  #decide(
    machine: Machine,
    subject: string,
    seen: Observed,
    record: StateRecord | undefined,
  ): MaybePromise<Outcome> {
    const first = decide(machine, record, seen, this.#clock);
    if (first === undefined) return STEADY;
    // The writes outlive this call, and the next observation reuses the scratch record and
    // may reuse its observation. Every decision of one observation uses the time of the first.
    const current = record === this.#scratch ? { ...record } : record;
    return runSyncOrAsync(this.#writeSteps(machine, subject, observed(seen, first.at), current, first));
  }

  *#writeSteps(
    machine: Machine,
    subject: string,
    seen: Observed,
    current: StateRecord | undefined,
    first: Decision,
  ): Generator<unknown, Outcome, unknown> {
    const at = first.at;
    let chain: StateOutcome | undefined;
    let next: Decision | undefined = first;
    let races = 0;
    while (next !== undefined) {
      const expected = current === undefined ? 0 : current.version;
      const written = (yield this.#store.compareAndSet(
        machine.id,
        subject,
        expected,
        next.record,
      )) as boolean;
      if (written) {
        chain = applied({ machine, subject, at, previous: current, decision: next, prior: chain });
        if (next.kind !== 'migration') return chain;
        current = next.record;
      } else {
        const actual = (yield this.#store.get(machine.id, subject)) as StateRecord | undefined;
        races++;
        const exhausted = races > this.#maxRetries;
        chain = lost(
          { machine, subject, at, previous: current, decision: next, prior: chain },
          actual,
          exhausted,
        );
        if (exhausted) return chain;
        current = actual;
      }
      next = decide(machine, current, seen, this.#clock);
    }
    return chain ?? STEADY;
  }
}

/** A copy of what a decision reads of an observation, at the time given. */
function observed(seen: Observed, at: number | undefined): Observed {
  return { state: seen.state, pending: seen.pending, heldReason: seen.heldReason, at };
}
