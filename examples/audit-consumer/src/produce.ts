import type { AuditLog } from '@flagstate/audit';
import { parseMachines } from '@flagstate/core';
import { StateTransitionHook } from '@flagstate/hook';
import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { type CheckoutState, checkoutFlags, document } from './checkout.js';

/** One wave of the rollout: new targeting, then every subject evaluates `checkout` once. */
export interface Wave {
  readonly say: string;
  readonly assign: Readonly<Record<string, CheckoutState>>;
}

export const SUBJECTS = ['user-1', 'user-2', 'user-3', 'user-4'] as const;

export const WAVES: readonly Wave[] = [
  { say: 'everyone on legacy', assign: {} },
  { say: 'user-1 and user-2 join the canary', assign: { 'user-1': 'canary', 'user-2': 'canary' } },
  {
    say: 'user-1 promoted, user-2 rolled back, user-3 sent straight to v2 (not allowed)',
    assign: { 'user-1': 'v2', 'user-2': 'legacy', 'user-3': 'v2' },
  },
];

export interface ProduceOptions {
  /** Called once a wave's records are written by every sink, e.g. to let a reader catch up. */
  readonly afterWave?: (wave: Wave) => void | Promise<void>;
}

/**
 * The producer: StateTransitionHook on OpenFeature's InMemoryProvider, writing to `audit`.
 * Leaves `audit` open; the caller closes it.
 */
export async function produce(audit: AuditLog, options: ProduceOptions = {}): Promise<void> {
  const hook = new StateTransitionHook({ machines: parseMachines(document), audit });
  const provider = new InMemoryProvider(checkoutFlags({}));
  await OpenFeature.setProviderAndWait(provider);
  OpenFeature.addHooks(hook);
  const client = OpenFeature.getClient();
  try {
    for (const wave of WAVES) {
      provider.putConfiguration(checkoutFlags(wave.assign));
      for (const subject of SUBJECTS) {
        await client.getStringValue('checkout', 'legacy-flow', { targetingKey: subject });
      }
      await audit.flush();
      await options.afterWave?.(wave);
    }
  } finally {
    OpenFeature.clearHooks();
    await OpenFeature.close();
  }
}
