// Whether an observation writes nothing, decided by core's own engine on a given record: the
// reference the near-cache tests judge a replica's silence against.
import { LruStateStore, type MachineSet, type StateRecord, TransitionEngine } from '@flagstate/core';

export interface Served {
  readonly state: string;
  /** The target the provider held the subject back from, with its reason. */
  readonly pending: string | undefined;
  readonly heldReason: string | undefined;
}

/**
 * Whether serving `served` at `at` to a subject whose record is `record` (or none) is steady.
 * Steadiness only ends as time passes (maxDwell), so an evaluation that began at `at` and
 * found it steady later was steady at `at` too.
 */
export function isSteady(
  machines: MachineSet,
  record: StateRecord | undefined,
  subject: string,
  served: Served,
  at: number,
): boolean {
  const store = new LruStateStore({ maxSubjects: 1 });
  if (record !== undefined) store.compareAndSet('checkout', subject, 0, record);
  const engine = new TransitionEngine({ machines, store });
  const outcome = engine.observe({ machine: 'checkout', subject, ...served, at });
  if (outcome instanceof Promise) throw new Error('LruStateStore answers synchronously');
  return outcome.kind === 'steady';
}
