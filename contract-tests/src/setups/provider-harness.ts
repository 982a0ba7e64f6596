import type { AuditLog } from '@flagstate/audit';
import type { Clock, StateStore } from '@flagstate/core';
import { memorySource, StateMachineProvider } from '@flagstate/provider';
import { checkoutMachine, flagdTargeting, VALUES } from '@flagstate/test-kit';
import { OpenFeature } from '@openfeature/server-sdk';
import type { Harness } from '../setup.js';

let instance = 0;

/**
 * The flagstate provider over an in-memory flag document holding the contract machine, with
 * its hook registered as a provider hook: what the provider setups share but their store
 * (passed through `wrapStore` when given).
 */
export async function providerHarness(options: {
  readonly audit: AuditLog;
  readonly store: StateStore;
  readonly wrapStore?: ((store: StateStore) => StateStore) | undefined;
  readonly clock?: Clock | undefined;
  readonly enforcement?: 'audit' | 'enforce' | undefined;
}): Promise<Harness & { readonly provider: StateMachineProvider }> {
  const { audit, clock, wrapStore } = options;
  const store = wrapStore ? wrapStore(options.store) : options.store;
  let machine: Record<string, unknown> = checkoutMachine({ enforcement: options.enforcement ?? 'audit' });
  let targeting: unknown;
  let fallback = 'legacy';
  const document = () => ({
    flags: {
      checkout: {
        state: 'ENABLED',
        variants: VALUES,
        defaultVariant: fallback,
        ...(targeting === undefined ? {} : { targeting }),
      },
    },
    machines: { checkout: machine },
  });
  const source = memorySource(document());
  const provider = new StateMachineProvider({ source, store, audit, ...(clock ? { clock } : {}) });
  const domain = `contract-provider-${process.pid}-${instance++}`;
  await OpenFeature.setProviderAndWait(domain, provider);
  return {
    provider,
    client: OpenFeature.getClient(domain),
    store,
    providerName: 'flagstate',
    async retarget(assign, nextFallback = 'legacy') {
      targeting = flagdTargeting(assign, nextFallback);
      fallback = nextFallback;
      source.update(document());
    },
    async redefine(next) {
      machine = next;
      source.update(document());
    },
    close: () => provider.onClose(),
  };
}
