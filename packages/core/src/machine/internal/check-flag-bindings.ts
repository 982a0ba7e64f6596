import { isObject } from '@flagstate/audit/internal';
import type { DefinitionProblems } from './definition-problems.js';
import type { DefinitionParts } from './lenient-definition.js';
import { StateSource } from './state-source.js';

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
    const source = new StateSource(def.stateFrom);
    def.flags.forEach((key, i) => {
      if (key === undefined) return;
      if (!Object.hasOwn(flags, key)) {
        problems.add(['machines', id, 'flags', i], `flag "${key}" is not defined in flags`);
        return;
      }
      const variants = variantsOf(key);
      if (!variants) return;
      // A flagd flag always reports its variant's name, so every variant gives a state.
      const served = Object.entries(variants).map(([variant, value]) => source.of(variant, value)!);
      const missing = [...new Set(served.filter((state) => !states.has(state)))];
      if (missing.length > 0) {
        const quoted = missing.map((m) => `"${m}"`).join(', ');
        const list = `(states: ${[...states].join(', ')})`;
        problems.add(
          ['flags', key, 'variants'],
          typeof def.stateFrom === 'object'
            ? `through stateFrom, flag "${key}" serves ${quoted}, not states of machine "${id}" ${list}`
            : `${def.stateFrom === 'value' ? 'values' : 'variants'} ${quoted} of flag "${key}" are not states of machine "${id}" ${list}`,
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
