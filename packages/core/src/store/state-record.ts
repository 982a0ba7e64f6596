/** What a store keeps per (machine, subject). Written only by the transition engine. */
export interface StateRecord {
  /** The state the subject was last served. */
  readonly state: string;
  /** Per-subject write sequence: 1 on the first write, +1 on each write after it. */
  readonly version: number;
  /** The version of the machine that wrote this record. */
  readonly machineVersion: number;
  /** Epoch milliseconds at which the subject entered `state`. */
  readonly enteredAt: number;
  /** A target the provider is holding the subject back from, if any. */
  readonly pending?: string | undefined;
  /** Set once the current stay was reported stale, so that it is reported once per stay. */
  readonly stale?: boolean | undefined;
  /**
   * While `state` is not a state of the machine (a provider served something else), the last
   * state of the machine the subject was in: the next move into a state is judged from it.
   */
  readonly lastKnown?: string | undefined;
}

/**
 * A record a store fills in place (`StateStore.readInto`), so that reading one on the steady
 * path builds nothing. Whoever owns it may overwrite it at the next read: copy what you keep.
 */
export interface MutableStateRecord {
  state: string;
  version: number;
  machineVersion: number;
  enteredAt: number;
  pending: string | undefined;
  stale: boolean;
  lastKnown: string | undefined;
}

/** A blank record to be filled by `StateStore.readInto` (or `RecordSlab.read`). */
export function blankStateRecord(): MutableStateRecord {
  return {
    state: '',
    version: 0,
    machineVersion: 0,
    enteredAt: 0,
    pending: undefined,
    stale: false,
    lastKnown: undefined,
  };
}

/** Builds a record with every field present, so that all records share one shape. */
export function stateRecord(
  state: string,
  version: number,
  machineVersion: number,
  enteredAt: number,
  pending: string | undefined,
  stale: boolean,
  lastKnown?: string | undefined,
): StateRecord {
  return { state, version, machineVersion, enteredAt, pending, stale, lastKnown };
}
