import type { MachineDefinitionParsed } from '../machine-schema.js';
import { stateFromValue } from '../state-value.js';
import type { DefinitionProblems } from './definition-problems.js';

interface FlagLike {
  readonly variants?: Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the machines against the document's flagd `flags`: bound flags exist and serve only
 * states, and `{ "flag": k }` guards name boolean flags. The flags' own shape is flagd's
 * schema's business, checked where flags are evaluated.
 */
export function checkFlagBindings(
  flags: unknown,
  machines: Readonly<Record<string, MachineDefinitionParsed>>,
  problems: DefinitionProblems,
): void {
  if (!isObject(flags)) return;
  const variantsOf = (key: string): Record<string, unknown> | undefined => {
    const flag = flags[key] as FlagLike | undefined;
    return isObject(flag) && isObject(flag.variants) ? flag.variants : undefined;
  };

  for (const [id, def] of Object.entries(machines)) {
    const states = new Set(Object.keys(def.states));
    def.flags.forEach((key, i) => {
      if (!(key in flags)) {
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
        t.guard && 'flag' in t.guard && typeof t.guard.flag === 'string' ? t.guard.flag : undefined;
      if (gate === undefined) return;
      const path = ['machines', id, 'transitions', i, 'guard', 'flag'];
      if (!(gate in flags)) {
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
