import type { GraphTables } from './internal/graph.js';
import { StateSource } from './internal/state-source.js';
import type { StateFrom } from './state-from.js';
import type { Transition } from './transition.js';

const NO_TRANSITIONS: readonly Transition[] = Object.freeze([]);

export interface StateDefinition {
  readonly name: string;
  /** Bake time in ms before a subject may leave; 0 when not set. */
  readonly minDwellMs: number;
  /** Stays longer than this (ms) are reported as stale; `Infinity` when not set. */
  readonly maxDwellMs: number;
  readonly final: boolean;
}

export type Enforcement = 'audit' | 'enforce';

export interface MachineInit {
  readonly id: string;
  readonly version: number;
  readonly initial: string;
  readonly states: readonly StateDefinition[];
  readonly transitions: readonly Transition[];
  readonly flags: readonly string[];
  readonly subject: string;
  readonly stateFrom: StateFrom;
  readonly enforcement: Enforcement;
  readonly migrations: ReadonlyMap<number, ReadonlyMap<string, string>>;
  readonly graph: GraphTables;
}

/**
 * A validated, immutable machine. Every graph query is answered from tables built once at
 * parse time, so that the evaluation path does lookups only.
 */
export class Machine {
  readonly id: string;
  readonly version: number;
  readonly initial: string;
  /** State names in declaration order. */
  readonly stateNames: readonly string[];
  readonly transitions: readonly Transition[];
  readonly flags: readonly string[];
  /** The context attribute path of the subject, e.g. `targetingKey` or `user.id`. */
  readonly subject: string;
  /** `subject` split on `.`, for reading it out of a context. */
  readonly subjectPath: readonly string[];
  /** Where evaluations report the state, as declared (frozen); `stateOf` reads it. */
  readonly stateFrom: StateFrom;
  readonly enforcement: Enforcement;
  /** Whether any state has a `maxDwell`: when none has, steady observations never read the clock. */
  readonly hasMaxDwell: boolean;
  readonly #states: ReadonlyMap<string, StateDefinition>;
  readonly #migrations: ReadonlyMap<number, ReadonlyMap<string, string>>;
  readonly #graph: GraphTables;
  readonly #source: StateSource;

  constructor(init: MachineInit) {
    this.id = init.id;
    this.version = init.version;
    this.initial = init.initial;
    this.stateNames = Object.freeze(init.states.map((s) => s.name));
    this.transitions = Object.freeze([...init.transitions]);
    this.flags = Object.freeze([...init.flags]);
    this.subject = init.subject;
    this.subjectPath = Object.freeze(init.subject.split('.'));
    this.stateFrom = init.stateFrom;
    this.#source = new StateSource(init.stateFrom);
    this.enforcement = init.enforcement;
    this.hasMaxDwell = init.states.some((s) => s.maxDwellMs !== Number.POSITIVE_INFINITY);
    this.#states = new Map(init.states.map((s) => [s.name, Object.freeze({ ...s })]));
    this.#migrations = init.migrations;
    this.#graph = init.graph;
    Object.freeze(this);
  }

  /**
   * The state an evaluation reports by `stateFrom`, before any check that it is one of this
   * machine's states; `undefined` when it reports none (no variant under `stateFrom: variant`).
   */
  stateOf(variant: string | undefined, value: unknown): string | undefined {
    return this.#source.of(variant, value);
  }

  hasState(state: string): boolean {
    return this.#states.has(state);
  }

  state(state: string): StateDefinition | undefined {
    return this.#states.get(state);
  }

  /** The transition `from -> to`, with its name and guard, or `undefined` when not allowed. */
  transition(from: string, to: string): Transition | undefined {
    const g = this.#graph;
    const i = g.index.get(from);
    const j = g.index.get(to);
    return i === undefined || j === undefined ? undefined : g.edge[i * g.size + j];
  }

  /** Whether the machine declares `from -> to` (guards and bake times aside). */
  isAllowed(from: string, to: string): boolean {
    return this.transition(from, to) !== undefined;
  }

  /**
   * The first transition on a shortest path from `from` toward `target`. Among equally short
   * paths, the one whose first transition was declared first wins, so the answer is stable.
   */
  nextHop(from: string, target: string): Transition | undefined {
    const g = this.#graph;
    const i = g.index.get(from);
    const j = g.index.get(target);
    return i === undefined || j === undefined ? undefined : g.hop[i * g.size + j];
  }

  /**
   * Every transition out of `from` that starts a shortest path to `target`, in declaration
   * order (a direct transition is the only one of length 1). Each brings the subject one step
   * closer; the provider serves the first whose guard passes, so a subject never loops.
   */
  hopsToward(from: string, target: string): readonly Transition[] {
    const g = this.#graph;
    const i = g.index.get(from);
    const j = g.index.get(target);
    return i === undefined || j === undefined ? NO_TRANSITIONS : g.hops[i * g.size + j]!;
  }

  /** Whether `target`, a state other than `from`, can be reached from it by transitions. */
  isReachable(from: string, target: string): boolean {
    return this.nextHop(from, target) !== undefined;
  }

  /** Number of transitions on a shortest path, or -1 when unreachable; 0 for the same state. */
  distance(from: string, target: string): number {
    const g = this.#graph;
    const i = g.index.get(from);
    const j = g.index.get(target);
    return i === undefined || j === undefined ? -1 : g.distance[i * g.size + j]!;
  }

  /** The state that a record written by machine version `fromVersion` in `state` migrates to. */
  migrate(fromVersion: number, state: string): string | undefined {
    return this.#migrations.get(fromVersion)?.get(state);
  }
}
