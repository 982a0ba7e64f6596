import type { EvaluationContext } from '@openfeature/server-sdk';

/** The checkout machine: legacy -> canary -> v2, and a rollback from either. */
export const document = {
  machines: {
    checkout: {
      version: 1,
      flags: ['checkout'],
      initial: 'legacy',
      states: { legacy: {}, canary: {}, v2: {} },
      transitions: [
        { from: 'legacy', to: 'canary', name: 'start-canary' },
        { from: 'canary', to: 'v2', name: 'promote' },
        { from: ['canary', 'v2'], to: 'legacy', name: 'rollback' },
      ],
    },
  },
};

export type CheckoutState = 'legacy' | 'canary' | 'v2';

const VARIANTS: Record<CheckoutState, string> = { legacy: 'legacy-flow', canary: 'new-flow', v2: 'new-flow' };

/** The InMemoryProvider's flags: `assign` targets subjects one by one; everyone else gets legacy. */
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
