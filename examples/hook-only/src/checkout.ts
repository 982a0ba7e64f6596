import type { EvaluationContext } from '@openfeature/server-sdk';

/** The checkout machine: legacy -> canary -> v2, a rollback, and a 1h bake time on canary. */
export const document = {
  machines: {
    checkout: {
      version: 1,
      flags: ['checkout'],
      initial: 'legacy',
      states: {
        legacy: {},
        canary: { minDwell: '1h' },
        v2: {},
      },
      transitions: [
        { from: 'legacy', to: 'canary', name: 'start-canary' },
        { from: 'canary', to: 'v2', name: 'promote' },
        { from: ['canary', 'v2'], to: 'legacy', name: 'rollback' },
      ],
    },
  },
};

export type CheckoutState = 'legacy' | 'canary' | 'v2';

/** What each variant (state) serves. */
const VARIANTS: Record<CheckoutState, string> = {
  legacy: 'legacy-flow',
  canary: 'new-flow',
  v2: 'new-flow',
};

/**
 * The InMemoryProvider's flag configuration: `assign` is the targeting, subject by subject;
 * everyone else gets legacy.
 */
export function checkoutFlags(assign: Readonly<Record<string, CheckoutState>>) {
  return {
    checkout: {
      variants: VARIANTS,
      defaultVariant: 'legacy',
      disabled: false,
      contextEvaluator: (ctx: EvaluationContext): CheckoutState => assign[ctx.targetingKey ?? ''] ?? 'legacy',
    },
  };
}
