import type { DefinitionIssue } from '@flagstate/core';
import { MemoryStorage } from '@openfeature/flagd-core';
import type { Logger } from '@openfeature/server-sdk';
import { flagdIssues } from './flagd-issues.js';

const BAD_STATE = /^Invalid flag state: (.*)$/s;
const BAD_DEFAULT = /^Default variant (.*) missing from variants/s;

/**
 * What flagd-core says of a document's flags (`strict`: its schema too), as issues naming
 * every bad flag: flagd-core stops at the first problem, so after a failure each flag is
 * checked on its own. Empty when flagd accepts the document.
 */
export function flagdProblems(
  part: Record<string, unknown>,
  strict: boolean,
  logger: Logger,
): DefinitionIssue[] {
  const failure = attempt(part, strict, logger);
  if (failure === undefined) return [];
  const flags = part.flags;
  if (typeof flags !== 'object' || flags === null || Array.isArray(flags)) return flagdIssues(failure);
  const issues: DefinitionIssue[] = [];
  for (const [key, flag] of Object.entries(flags)) {
    const error = attempt({ ...part, flags: { [key]: flag } }, strict, logger);
    if (error !== undefined) issues.push(...flagIssues(error, key, flag));
  }
  // Nothing wrong with any flag alone: the problem is the document's (e.g. its $evaluators).
  return issues.length > 0 ? issues : flagdIssues(failure);
}

function attempt(part: Record<string, unknown>, strict: boolean, logger: Logger): unknown {
  try {
    new MemoryStorage(logger).setConfigurations(JSON.stringify(part), strict);
    return undefined;
  } catch (error) {
    return error ?? new Error('flagd-core rejected the flags');
  }
}

/** flagd-core's structural errors, which are plain sentences, worded with their path. */
function flagIssues(error: unknown, key: string, flag: unknown): DefinitionIssue[] {
  // flagd-core wraps its structural errors in a ParseError: the sentence is the cause's.
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const message = inner instanceof Error ? inner.message : String(inner);
  const at = (field: string) =>
    `flags${/^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}.${field}`;
  const state = BAD_STATE.exec(message);
  if (state) return [{ path: at('state'), message: `expected "ENABLED" or "DISABLED", got ${state[1]}` }];
  const fallback = BAD_DEFAULT.exec(message);
  if (fallback) {
    const variants = (flag as { variants?: unknown }).variants;
    const names = typeof variants === 'object' && variants !== null ? Object.keys(variants).join(', ') : '';
    return [
      {
        path: at('defaultVariant'),
        message: `"${fallback[1]}" is not one of the flag's variants (${names})`,
      },
    ];
  }
  return flagdIssues(error);
}
