import { type Clock, systemClock } from './clock.js';
import { type Decision, decide } from './internal/decide.js';
import { isPromise } from './internal/is-promise.js';
import { runSyncOrAsync } from './internal/run-sync-or-async.js';
import { applied, lost } from './internal/state-outcomes.js';
import type { Machine } from './machine.js';
import type { MachineSet } from './machine-set.js';
import { type Outcome, type OutcomeReason, STEADY, type StateOutcome } from './outcome.js';
import { blankStateRecord, type MutableStateRecord, type StateRecord } from './state-record.js';
import { type MaybePromise, readStateRecord, type StateStore } from './state-store.js';

export interface Observation {
  /** The machine, or its id in the engine's machine set. */
  machine: Machine | string;
  subject: string;
  /** The state the subject was served. */
  state: string;
  /** The target the provider held the subject back from, if any. */
  pending?: string | undefined;
  /** The provider's reason for holding it back (`min_dwell`, `guard`, `illegal`, `unreachable`). */
  heldReason?: OutcomeReason | undefined;
  /** Epoch ms of the observation. @default clock.now() */
  at?: number | undefined;
}

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
    const { subject, state, pending, heldReason } = observation;
    const at = observation.at;

    // A packed store fills the scratch record: the steady path builds nothing.
    const current = readStateRecord(this.#store, machine.id, subject, this.#scratch);
    if (isPromise(current)) {
      return current.then((record) => this.#decide(machine, subject, state, pending, heldReason, at, record));
    }
    return this.#decide(machine, subject, state, pending, heldReason, at, current);
  }

  #decide(
    machine: Machine,
    subject: string,
    state: string,
    pending: string | undefined,
    heldReason: OutcomeReason | undefined,
    at: number | undefined,
    record: StateRecord | undefined,
  ): MaybePromise<Outcome> {
    const first = decide(machine, record, state, pending, heldReason, at, this.#clock);
    if (first === undefined) return STEADY;
    // The writes outlive this call, and the next observation reuses the scratch record.
    const current = record === this.#scratch ? { ...record } : record;
    return runSyncOrAsync(this.#writeSteps(machine, subject, state, pending, heldReason, current, first));
  }

  *#writeSteps(
    machine: Machine,
    subject: string,
    state: string,
    pending: string | undefined,
    heldReason: OutcomeReason | undefined,
    current: StateRecord | undefined,
    first: Decision,
  ): Generator<unknown, Outcome, unknown> {
    // Every decision of one observation uses the time of the first.
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
        chain = applied(machine, subject, at, current, next, chain);
        if (next.kind !== 'migration') return chain;
        current = next.record;
      } else {
        const actual = (yield this.#store.get(machine.id, subject)) as StateRecord | undefined;
        races++;
        const exhausted = races > this.#maxRetries;
        chain = lost(machine, subject, at, current, next, actual, exhausted, chain);
        if (exhausted) return chain;
        current = actual;
      }
      next = decide(machine, current, state, pending, heldReason, at, this.#clock);
    }
    return chain ?? STEADY;
  }
}
