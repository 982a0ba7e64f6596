import { LruStateStore } from '@flagstate/core';
import { MemoryFlagSource, StateMachineProvider } from '@flagstate/provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { checkoutMachine, flagdTargeting, VALUES } from '../machine.js';
import type { ContractSetup } from '../setup.js';

let instance = 0;

/** The flagstate provider, its hook registered as a provider hook, the LRU store. */
export const stateMachineProviderSetup: ContractSetup = {
  name: 'StateMachineProvider + LruStateStore',
  canHold: true,
  async create({ audit, store = new LruStateStore(), clock, enforcement = 'audit' }) {
    let machine = checkoutMachine(enforcement);
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
    const source = new MemoryFlagSource(document());
    const provider = new StateMachineProvider({ source, store, audit, ...(clock ? { clock } : {}) });
    const domain = `contract-provider-${instance++}`;
    await OpenFeature.setProviderAndWait(domain, provider);
    return {
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
  },
};
