import type { Machine, StateRecord } from '@flagstate/core';
import type { FlagDocument } from '../flag-document.js';

/** Why the provider served something other than what targeting asked for. */
export type HeldReason = 'min_dwell' | 'guard' | 'illegal' | 'unreachable' | 'store_unavailable';

/** Where a decision lands; one per provider, filled synchronously and read at once. */
export interface Served {
  state: string;
  held: HeldReason | undefined;
}

/**
 * Enforce mode: targeting wants `target`, the store says the subject is in `record`'s state.
 * Serve the target if the move is declared, its guard passes and the bake time is over;
 * else the next hop toward it under the same conditions; else hold the subject where it is.
 */
export function decideServed(
  out: Served,
  doc: FlagDocument,
  machine: Machine,
  record: StateRecord | undefined,
  target: string,
  now: number,
  context: Record<string, unknown>,
): void {
  out.held = undefined;
  out.state = target;
  if (record === undefined) {
    // Never seen: the target if a subject could get there from the start, else the start.
    if (target !== machine.initial && !machine.isReachable(machine.initial, target)) {
      out.state = machine.initial;
      out.held = 'unreachable';
    }
    return;
  }
  let current = record.state;
  if (record.machineVersion < machine.version)
    current = machine.migrate(record.machineVersion, current) ?? current;
  if (current === target || !machine.hasState(current)) return;

  out.state = current;
  if (now - record.enteredAt < machine.state(current)!.minDwellMs) {
    out.held = 'min_dwell';
    return;
  }
  const direct = machine.transition(current, target);
  if (direct !== undefined) {
    if (doc.guardAllows(direct, context)) out.state = target;
    else out.held = 'guard';
    return;
  }
  const hop = machine.nextHop(current, target);
  if (hop === undefined) {
    out.held = 'unreachable';
    return;
  }
  if (doc.guardAllows(hop, context)) {
    out.state = hop.to;
    out.held = 'illegal';
  } else {
    out.held = 'guard';
  }
}
