import type { EvaluationContext } from '@openfeature/server-sdk';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The one view of a context that targeting, the subject and guards all read:
 * - an own `__proto__` key (JSON.parse makes one) would become the prototype of the copy
 *   flagd-core makes of the context, so that targeting sees a `targetingKey` the context does
 *   not have while enforcement sees none: it is no attribute, and is dropped;
 * - a finite number as `targetingKey` is the subject's id as a string, for targeting too
 *   (flagd-core refuses a targetingKey that is not a string).
 * Any other context is returned as it is, after two checks.
 */
export function safeContext(context: EvaluationContext): EvaluationContext {
  const key = context.targetingKey as unknown;
  const numeric = typeof key === 'number' && Number.isFinite(key);
  if (!numeric && !hasOwn.call(context, '__proto__')) return context;
  const out: EvaluationContext = {};
  for (const [name, value] of Object.entries(context)) {
    if (name !== '__proto__' && value !== undefined) out[name] = value;
  }
  if (numeric) out.targetingKey = String(key);
  return out;
}
