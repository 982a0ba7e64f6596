import type { Machine } from '../machine/machine.js';
import type { Transition } from '../machine/transition.js';
import type { StateRecord } from '../store/state-record.js';
import type { Clock } from './clock.js';
import type { HeldReason } from './held-reason.js';
import { currentState, entryProblem, isBaking } from './internal/move-rules.js';

/** Where a served decision lands; one per caller, filled synchronously and read at once. */
export interface Served {
  state: string;
  held: HeldReason | undefined;
  /** The subject's state now (after any migration); `undefined` for a subject never seen. */
  from: string | undefined;
}

/** Decides whether a transition's guard is open for the evaluation's context. */
export interface GuardCheck {
  guardAllows(transition: Transition, context: Record<string, unknown>): boolean;
}

/**
 * Enforce mode: targeting wants `target`, the store says the subject is in `record`'s state.
 * Serve the target if the move is declared, its guard passes and the bake time is over;
 * else the next hop toward it under the same conditions; else hold the subject where it is.
 * The engine judges what is then served by the same rules (`internal/move-rules.ts`).
 * Allocates nothing, and reads `clock` only for a bake time: it runs on every enforced
 * evaluation, and a steady one (the subject is where targeting wants it) needs no time.
 */
export function decideServed(
  out: Served,
  machine: Machine,
  record: StateRecord | undefined,
  target: string,
  clock: Clock,
  guards: GuardCheck,
  context: Record<string, unknown>,
): void {
  out.held = undefined;
  out.state = target;
  out.from = undefined;
  if (record === undefined) {
    // Never seen: the target if a subject could start there, else the start.
    if (entryProblem(machine, target) !== undefined) {
      out.state = machine.initial;
      out.held = 'unreachable';
    }
    return;
  }
  const current = currentState(machine, record);
  out.from = current;
  if (current === target || !machine.hasState(current)) return;

  out.state = current;
  if (isBaking(machine, current, record.enteredAt, clock.now())) {
    out.held = 'min_dwell';
    return;
  }
  // The direct move first, then moves that lead toward the target: the first whose guard
  // passes is served. A closed direct move makes any step a `guard` hold, no direct move an
  // `illegal` one.
  const hops = machine.hopsToward(current, target);
  if (hops.length === 0) {
    out.held = 'unreachable';
    return;
  }
  const directDeclared = hops[0]!.to === target;
  for (let k = 0; k < hops.length; k++) {
    const hop = hops[k]!;
    if (!guards.guardAllows(hop, context)) continue;
    out.state = hop.to;
    out.held = hop.to === target ? undefined : directDeclared ? 'guard' : 'illegal';
    return;
  }
  out.held = 'guard';
}
