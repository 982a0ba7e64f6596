import { type MachineSet, stateFromValue } from '@flagstate/core';
import type { FlagdCore } from '@openfeature/flagd-core';
import type { ServedVariant } from '../served-variant.js';

/**
 * For each machine-bound flag, the variant that serves each state: built once per document,
 * so that enforcing a state is a lookup. With `stateFrom: value`, the first variant whose
 * value is the state serves it.
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
        const state = machine.stateFrom === 'variant' ? variant : stateFromValue(value);
        if (!byState.has(state)) byState.set(state, { variant, value });
      }
      served.set(key, byState);
    }
  }
  return served;
}
