import type { MachineSet } from '@flagstate/core';
import type { FlagdCore } from '@openfeature/flagd-core';
import type { ServedVariant } from '../served-variant.js';

/**
 * For each machine-bound flag, the variant that serves each state: built once per document,
 * so that enforcing a state is a lookup. When several variants give one state (by value, or
 * through a `stateFrom` map), the first serves it.
 */
export function servedVariants(
  machines: MachineSet,
  core: FlagdCore,
): ReadonlyMap<string, ReadonlyMap<string, ServedVariant>> {
  const served = new Map<string, Map<string, ServedVariant>>();
  for (const machine of machines) {
    for (const key of machine.flags) {
      const flag = core.getFlag(key);
      if (!flag) continue;
      const byState = new Map<string, ServedVariant>();
      for (const [variant, value] of flag.variants) {
        // A flagd variant is always reported, so it always gives a state.
        const state = machine.stateOf(variant, value)!;
        if (!byState.has(state)) byState.set(state, { variant, value });
      }
      served.set(key, byState);
    }
  }
  return served;
}
