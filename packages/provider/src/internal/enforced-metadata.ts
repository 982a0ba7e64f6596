import { type HeldReason, METADATA } from '@flagstate/core';
import type { FlagMetadata } from '@openfeature/server-sdk';

type Metadata = Readonly<Record<string, string | number | boolean>>;

interface ForFlag {
  readonly machine: string;
  /** Target → metadata when served as asked; target → held reason → metadata otherwise. */
  readonly served: Map<string, Metadata>;
  readonly held: Map<string, Map<HeldReason, Metadata>>;
}

/**
 * The `flagMetadata` of enforced evaluations, built once per flag, target and held reason, and
 * then reused: flagd-core hands every evaluation of a flag the same metadata object (one per
 * loaded document), which keys the cache, so a steady evaluation builds no object. The SDK
 * freezes what it is given, as it freezes flagd's own.
 */
const cache = new WeakMap<object, ForFlag>();
const NONE: FlagMetadata = Object.freeze({});
const last = { base: NONE as object, machine: '', target: '', metadata: NONE as Metadata };

export function enforcedMetadata(
  flagMetadata: FlagMetadata | undefined,
  machine: string,
  target: string,
  held: HeldReason | undefined,
): Metadata {
  const base = flagMetadata ?? NONE;
  // Most steady evaluations repeat the last one's flag and target: two comparisons, no lookup.
  if (held === undefined && base === last.base && target === last.target && machine === last.machine)
    return last.metadata;
  let forFlag = cache.get(base);
  if (forFlag === undefined || forFlag.machine !== machine) {
    forFlag = { machine, served: new Map(), held: new Map() };
    cache.set(base, forFlag);
  }
  if (held === undefined) {
    let md = forFlag.served.get(target);
    if (md === undefined) {
      md = { ...base, [METADATA.machine]: machine, [METADATA.requested]: target };
      forFlag.served.set(target, md);
    }
    last.base = base;
    last.machine = machine;
    last.target = target;
    last.metadata = md;
    return md;
  }
  let byReason = forFlag.held.get(target);
  if (byReason === undefined) {
    byReason = new Map();
    forFlag.held.set(target, byReason);
  }
  let md = byReason.get(held);
  if (md === undefined) {
    md = { ...base, [METADATA.machine]: machine, [METADATA.requested]: target, [METADATA.held]: held };
    byReason.set(held, md);
  }
  return md;
}
