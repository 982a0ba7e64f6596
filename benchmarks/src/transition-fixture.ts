import type { HookContext } from '@openfeature/server-sdk';

/** One machine of two states, either way allowed: serving the other state is always a transition. */
export const machines = {
  machines: {
    checkout: {
      version: 1,
      initial: 'a',
      flags: ['checkout'],
      states: { a: {}, b: {} },
      transitions: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
      ],
    },
  },
};

/** A prepared hook context for one subject, as the server SDK would hand it to a hook's stages. */
export function stageContext(subject: string, hookData = new Map<string, unknown>()): HookContext {
  return {
    flagKey: 'checkout',
    defaultValue: 'x',
    flagValueType: 'string',
    context: { targetingKey: subject },
    clientMetadata: { providerMetadata: { name: 'in-memory' } },
    providerMetadata: { name: 'in-memory' },
    logger: console,
    hookData,
  } as never;
}

/** Evaluation details serving state `a`, and the same serving `b`. */
export const servedA = {
  flagKey: 'checkout',
  value: 'flow-a',
  variant: 'a',
  reason: 'STATIC',
  flagMetadata: {},
};
export const servedB = { ...servedA, value: 'flow-b', variant: 'b' };
