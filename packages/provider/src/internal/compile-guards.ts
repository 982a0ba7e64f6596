import type { DefinitionIssue, MachineSet, Transition } from '@flagstate/core';
import { FlagdCore, MemoryStorage } from '@openfeature/flagd-core';
import type { Logger } from '@openfeature/server-sdk';
import { flagdIssues } from './flagd-issues.js';

/** JSON Logic guards, compiled by flagd-core, and the flag key each transition's guard has. */
export interface CompiledGuards {
  readonly core: FlagdCore;
  readonly keys: ReadonlyMap<Transition, string>;
}

/**
 * Compiles every JSON Logic guard as a boolean flagd flag (`if: [rule, pass, fail]`) with the
 * document's `$evaluators`, so that guards run on the same engine, with the same operators, as
 * targeting. A rule flagd cannot run becomes an issue at the transition's `guard` path.
 */
export function compileGuards(
  machines: MachineSet | undefined,
  evaluators: unknown,
  logger: Logger,
  issues: DefinitionIssue[],
): CompiledGuards {
  const keys = new Map<Transition, string>();
  const flags: Record<string, unknown> = {};
  for (const machine of machines ?? []) {
    for (const t of machine.transitions) {
      if (t.guard?.kind !== 'logic') continue;
      const key = `${machine.id}/transitions[${t.index}]`;
      flags[key] ??= {
        state: 'ENABLED',
        variants: { pass: true, fail: false },
        defaultVariant: 'fail',
        targeting: { if: [t.guard.rule, 'pass', 'fail'] },
      };
      keys.set(t, key);
    }
  }
  const storage = new MemoryStorage(logger);
  try {
    storage.setConfigurations(JSON.stringify({ flags, $evaluators: evaluators ?? {} }), true);
  } catch (error) {
    for (const issue of flagdIssues(error)) {
      const m = /^flags\["?([^/"]+)\/transitions\[(\d+)\]"?\]/.exec(issue.path);
      issues.push({
        path: m ? `machines.${m[1]}.transitions[${m[2]}].guard` : issue.path,
        message: `not a JSON Logic rule flagd can run: ${issue.message}`,
      });
    }
  }
  return { core: new FlagdCore(storage, logger), keys };
}
