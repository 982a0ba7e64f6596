import { isObject } from '@flagstate/audit/internal';
import { stateFromValue } from '../state-value.js';
import type { DefinitionProblems } from './definition-problems.js';
import type { DefinitionParts } from './lenient-definition.js';

interface FlagLike {
  readonly variants?: Record<string, unknown>;
}

/**
 * Checks the machines against the document's flagd `flags`: bound flags exist and serve only
 * states, and `{ "flag": k }` guards name boolean flags. The flags' own shape is flagd's
 * schema's business, checked where flags are evaluated.
 */
export function checkFlagBindings(
  flags: unknown,
  machines: Readonly<Record<string, DefinitionParts>>,
  problems: DefinitionProblems,
): void {
  if (!isObject(flags)) return;
  const variantsOf = (key: string): Record<string, unknown> | undefined => {
    const flag = (Object.hasOwn(flags, key) ? flags[key] : undefined) as FlagLike | undefined;
    return isObject(flag) && isObject(flag.variants) ? flag.variants : undefined;
  };

  for (const [id, def] of Object.entries(machines)) {
    const states = new Set(Object.keys(def.states));
    def.flags.forEach((key, i) => {
      if (key === undefined) return;
      if (!Object.hasOwn(flags, key)) {
        problems.add(['machines', id, 'flags', i], `flag "${key}" is not defined in flags`);
        return;
      }
      const variants = variantsOf(key);
      if (!variants) return;
      const served = Object.entries(variants).map(([variant, value]) =>
        def.stateFrom === 'value' ? stateFromValue(value) : variant,
      );
      const missing = [...new Set(served.filter((state) => !states.has(state)))];
      if (missing.length > 0) {
        const what = def.stateFrom === 'value' ? 'values' : 'variants';
        problems.add(
          ['flags', key, 'variants'],
          `${what} ${missing.map((m) => `"${m}"`).join(', ')} of flag "${key}" are not states of machine "${id}" (states: ${[...states].join(', ')})`,
        );
      }
    });
    def.transitions.forEach((t, i) => {
      const gate =
        t?.guard && 'flag' in t.guard && typeof t.guard.flag === 'string' ? t.guard.flag : undefined;
      if (gate === undefined) return;
      const path = ['machines', id, 'transitions', i, 'guard', 'flag'];
      if (!Object.hasOwn(flags, gate)) {
        problems.add(path, `gate flag "${gate}" is not defined in flags`);
        return;
      }
      const variants = variantsOf(gate);
      if (variants && !Object.values(variants).every((v) => typeof v === 'boolean')) {
        problems.add(path, `gate flag "${gate}" must be a boolean flag (all its variants true or false)`);
      }
    });
  }
}
