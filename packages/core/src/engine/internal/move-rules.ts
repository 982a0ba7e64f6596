import type { Machine } from '../../machine/machine.js';
import type { StateRecord } from '../../store/state-record.js';
import type { IllegalReason } from '../outcome.js';

/**
 * The machine's rules, once, for both sides of enforcement: the provider asks them what it may
 * serve, the engine what a served state means. Nothing here allocates.
 */

/** Why a subject never seen may not start in `state`; `undefined` when it may. */
export function entryProblem(machine: Machine, state: string): IllegalReason | undefined {
  if (!machine.hasState(state)) return 'unknown_state';
  if (state !== machine.initial && !machine.isReachable(machine.initial, state))
    return 'unreachable_from_initial';
  return undefined;
}

/** The state `record` holds, in this version of the machine: migrated when written by an older one. */
export function currentState(machine: Machine, record: StateRecord): string {
  if (record.machineVersion >= machine.version) return record.state;
  return machine.migrate(record.machineVersion, record.state) ?? record.state;
}

/**
 * Whether a subject that entered known state `state` at `enteredAt` is still within its bake
 * time at `now`. A clock behind `enteredAt` (skew between replicas, a step back) bakes only a
 * state that has a bake time.
 */
export function isBaking(machine: Machine, state: string, enteredAt: number, now: number): boolean {
  const bake = machine.state(state)!.minDwellMs;
  return bake > 0 && now - enteredAt < bake;
}

/** Why the move from known state `from` to `to` is not allowed (bake time aside); `undefined` when it is. */
export function moveProblem(machine: Machine, from: string, to: string): IllegalReason | undefined {
  if (!machine.hasState(to)) return 'unknown_state';
  if (machine.transition(from, to) !== undefined) return undefined;
  return machine.state(from)!.final ? 'final_state' : 'not_allowed';
}
