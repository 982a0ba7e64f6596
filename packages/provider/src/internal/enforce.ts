import type { HeldReason, Machine, StateRecord } from '@flagstate/core';
import type { FlagDocument } from '../flag-document.js';

/** Where a decision lands; one per provider, filled synchronously and read at once. */
export interface Served {
  state: string;
  held: HeldReason | undefined;
  /** The subject's state now (after any migration); `undefined` for a subject never seen. */
  from: string | undefined;
}

/**
 * Enforce mode: targeting wants `target`, the store says the subject is in `record`'s state.
 * Serve the target if the move is declared, its guard passes and the bake time is over;
 * else the next hop toward it under the same conditions; else hold the subject where it is.
 * Allocates nothing: it runs on every enforced evaluation.
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
  out.from = undefined;
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
  out.from = current;
  if (current === target || !machine.hasState(current)) return;

  out.state = current;
  const bake = machine.state(current)!.minDwellMs;
  if (bake > 0 && now - record.enteredAt < bake) {
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
    if (!doc.guardAllows(hop, context)) continue;
    out.state = hop.to;
    out.held = hop.to === target ? undefined : directDeclared ? 'guard' : 'illegal';
    return;
  }
  out.held = 'guard';
}
