import type { Machine } from '../../machine/machine.js';
import type { Transition } from '../../machine/transition.js';
import { type StateRecord, stateRecord } from '../../store/state-record.js';
import type { Clock } from '../clock.js';
import type { Observation } from '../observation.js';
import type { OutcomeKind, OutcomeReason } from '../outcome.js';
import { entryProblem, isBaking, moveProblem } from './move-rules.js';

export interface Decision {
  readonly kind: Exclude<OutcomeKind, 'race'>;
  readonly reason: OutcomeReason | undefined;
  readonly transition: Transition | undefined;
  readonly record: StateRecord;
  /** The observation time the decision was taken at. */
  readonly at: number;
  /** For a move out of an unknown state: the last known state it was judged from. */
  readonly judgedFrom?: string | undefined;
}

function decision(
  kind: Decision['kind'],
  reason: OutcomeReason | undefined,
  transition: Transition | undefined,
  record: StateRecord,
): Decision {
  return { kind, reason, transition, record, at: record.enteredAt };
}

/** What a decision reads of an observation: what was served, and the provider's hold. */
export type Observed = Pick<Observation, 'state' | 'pending' | 'heldReason' | 'at'>;

/**
 * What the observation `seen` means for a subject whose stored record is `current`. Returns
 * `undefined` for a steady observation without allocating or reading the clock unless a
 * `maxDwell` needs it: that is the hot path. `seen.at` is the observation time when the
 * caller has one. A migration is an intermediate decision: the caller writes it, then decides
 * again.
 */
export function decide(
  machine: Machine,
  current: StateRecord | undefined,
  seen: Observed,
  clock: Clock,
): Decision | undefined {
  const { state, pending } = seen;
  const want = pending !== undefined && pending !== state ? pending : undefined;
  const mv = machine.version;

  // Steady: same state, same machine version. Records of unknown states are written with
  // `stale` set, so no state lookup is needed here.
  if (current !== undefined && state === current.state && current.machineVersion === mv) {
    return decideSame(machine, current, seen, want, seen.at, clock);
  }

  const t = seen.at ?? clock.now();
  if (current === undefined) {
    const problem = entryProblem(machine, state);
    const record = stateRecord(state, 1, mv, t, undefined, problem === 'unknown_state');
    if (problem !== undefined) return decision('illegal', problem, undefined, record);
    return decision('init', undefined, undefined, record);
  }

  const same = state === current.state;
  const version = current.version + 1;

  // Written by a newer definition (a rolling deploy): this one cannot judge it. Follow what was
  // served, keep the newer version, and report it once per stay.
  if (current.machineVersion > mv) {
    if (same && current.stale === true) return undefined;
    const record = stateRecord(
      state,
      version,
      current.machineVersion,
      same ? current.enteredAt : t,
      want,
      true,
    );
    return { kind: 'stale', reason: 'newer_machine_version', transition: undefined, record, at: t };
  }

  if (current.machineVersion < mv) {
    const mapped = machine.migrate(current.machineVersion, current.state);
    if (mapped !== undefined) {
      const keep =
        current.pending !== undefined && machine.hasState(current.pending) ? current.pending : undefined;
      const record = stateRecord(mapped, version, mv, current.enteredAt, keep, false);
      return { kind: 'migration', reason: undefined, transition: undefined, record, at: t };
    }
  }

  if (!machine.hasState(current.state)) {
    if (same && current.stale === true) return undefined;
    // Served something that is no state (a provider's variant index): judge the move from the
    // last state the subject was known to be in, so that a skipped state is still illegal.
    const from = lastKnownState(machine, current);
    if (!same && from !== undefined) return decideFromKnown(machine, from, state, version, t);
    const known = machine.hasState(state);
    const record = stateRecord(state, version, mv, same ? current.enteredAt : t, want, !known, from);
    return { kind: 'stale', reason: 'unknown_state', transition: undefined, record, at: t };
  }

  // A record of an older version whose state this version still has needs no migration.
  if (same) return decideSame(machine, current, seen, want, t, clock);

  // A move clears any pending target: `pending` records holds in place only, so that the first
  // hold after a step toward a far target is reported as such.
  const problem = moveProblem(machine, current.state, state);
  const unknown = problem === 'unknown_state';
  const record = stateRecord(state, version, mv, t, undefined, unknown, unknown ? current.state : undefined);
  if (problem !== undefined) return decision('illegal', problem, undefined, record);
  const transition = machine.transition(current.state, state);
  if (isBaking(machine, current.state, current.enteredAt, t))
    return decision('illegal', 'min_dwell', transition, record);
  return decision('transition', undefined, transition, record);
}

/**
 * The state of this machine that a subject in an unknown state was last in (migrated when the
 * record is an older version's); `undefined` when there is none to judge from.
 */
function lastKnownState(machine: Machine, current: StateRecord): string | undefined {
  const known = current.lastKnown;
  if (known === undefined) return undefined;
  const state =
    current.machineVersion < machine.version
      ? (machine.migrate(current.machineVersion, known) ?? known)
      : known;
  return machine.hasState(state) ? state : undefined;
}

/**
 * A move out of an unknown state, judged as the move from `from`, the last known state. Its
 * bake time is not: the stay there was broken off by the unknown one. Back to `from` is a
 * transition with no declared name; into another unknown state, the last known state stays.
 */
function decideFromKnown(
  machine: Machine,
  from: string,
  state: string,
  version: number,
  t: number,
): Decision {
  const mv = machine.version;
  if (state === from) {
    const record = stateRecord(state, version, mv, t, undefined, false);
    return { ...decision('transition', undefined, undefined, record), judgedFrom: from };
  }
  const problem = moveProblem(machine, from, state);
  const unknown = problem === 'unknown_state';
  const record = stateRecord(state, version, mv, t, undefined, unknown, unknown ? from : undefined);
  const judged =
    problem === undefined
      ? decision('transition', undefined, machine.transition(from, state), record)
      : decision('illegal', problem, undefined, record);
  return { ...judged, judgedFrom: from };
}

/** The subject is served the state it has: held toward `want`, stale, or steady. */
function decideSame(
  machine: Machine,
  current: StateRecord,
  seen: Observed,
  want: string | undefined,
  at: number | undefined,
  clock: Clock,
): Decision | undefined {
  const state = seen.state;
  if (want !== undefined && want !== current.pending) {
    const record = stateRecord(
      state,
      current.version + 1,
      machine.version,
      current.enteredAt,
      want,
      current.stale === true,
      current.lastKnown,
    );
    return { kind: 'held', reason: seen.heldReason, transition: undefined, record, at: at ?? clock.now() };
  }
  if (current.stale === true || !machine.hasMaxDwell) return undefined;
  const maxDwellMs = machine.state(state)?.maxDwellMs ?? Number.POSITIVE_INFINITY;
  if (maxDwellMs === Number.POSITIVE_INFINITY) return undefined;
  const t = at ?? clock.now();
  if (t - current.enteredAt <= maxDwellMs) return undefined;
  const record = stateRecord(
    state,
    current.version + 1,
    machine.version,
    current.enteredAt,
    current.pending,
    true,
  );
  return { kind: 'stale', reason: 'max_dwell', transition: undefined, record, at: t };
}
