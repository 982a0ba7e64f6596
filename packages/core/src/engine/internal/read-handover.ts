import type { StateRecord } from '../../store/state-record.js';
import type { StateStore } from '../../store/state-store.js';

/** A record the provider read from a store for one evaluation, handed to its hook. */
export interface HandedRead {
  readonly machine: string;
  readonly subject: string;
  /** `undefined`: the store had no record for the subject. */
  readonly record: StateRecord | undefined;
}

// Per store, per evaluation context (the SDK passes the provider and the hooks one context
// object): weak on both, so that an evaluation whose hook never runs leaves nothing behind.
const reads = new WeakMap<StateStore, WeakMap<object, HandedRead>>();
/** Handed over and not taken yet, so that a hook on a synchronous store never looks. */
let pending = 0;

/** Whether any read waits to be taken: when not, `takeHandedRead` has nothing to find. */
export function anyHandedReads(): boolean {
  return pending > 0;
}

/**
 * The provider read `read.record` from `store` to decide an evaluation with `context`: its
 * hook, which observes through the same store, takes it instead of reading again. Only for
 * asynchronous stores (a round trip saved); a synchronous read costs less than the handover.
 */
export function handOverRead(store: StateStore, context: object, read: HandedRead): void {
  let byContext = reads.get(store);
  if (byContext === undefined) {
    byContext = new WeakMap();
    reads.set(store, byContext);
  }
  if (!byContext.has(context)) pending++;
  byContext.set(context, read);
}

/** The read handed over for this evaluation, once; `undefined` when there is none. */
export function takeHandedRead(store: StateStore, context: object): HandedRead | undefined {
  const byContext = reads.get(store);
  if (byContext === undefined) return undefined;
  const read = byContext.get(context);
  if (read !== undefined) {
    byContext.delete(context);
    pending--;
  }
  return read;
}
