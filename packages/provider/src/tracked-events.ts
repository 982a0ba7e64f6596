/**
 * The counter of tracking events, on the hook's meter (`@flagstate/hook`), with attributes
 * `flagstate.machine`, `flagstate.state` and `flagstate.tracking.event`, or, for an event with
 * no state, `flagstate.machine` and `flagstate.reason` (an `UnattributedReason`).
 */
export const TRACKING_EVENTS_METRIC = 'flagstate.tracking.events';
/** Distinct (machine, state, event name) triples counted before new names count as `(other)`. */
export const TRACKED_EVENTS_LIMIT = 10_000;

/** Why a tracking event could not be counted under a state of a machine. */
export type UnattributedReason = 'subject_unusable' | 'subject_unknown' | 'store_unavailable';

/**
 * Tracking events counted since the provider was built (re-initialising keeps them), as
 * `StateMachineProvider.trackedEvents()` reads them: Maps, so that any machine, state or
 * event name (`constructor`, `__proto__`) is a plain key.
 */
export interface TrackedEvents {
  /** Machine → the subject's stored state → tracking event name → events. */
  readonly byState: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, number>>>;
  /**
   * Machine → why no state → events: the context had no usable subject for the machine, the
   * subject has no record yet (never evaluated), or the store failed to answer.
   */
  readonly unattributed: ReadonlyMap<string, ReadonlyMap<UnattributedReason, number>>;
  /** Distinct (machine, state, event) kept; past `TRACKED_EVENTS_LIMIT`, new names count as `(other)`. */
  readonly distinct: number;
}
