import type { Machine } from '../machine/machine.js';
import type { StateRecord } from '../store/state-record.js';
import type { OutcomeReason } from './outcome.js';

/** What a subject was served, as the engine records it. */
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
  /**
   * The subject's record as the caller already read it from the engine's store for this
   * observation (`null`: it had none), so that the engine does not read it again. A record
   * that is stale by now is caught by the compare-and-set, as any concurrent write is.
   * @default undefined (the engine reads the store)
   */
  current?: StateRecord | null | undefined;
}
