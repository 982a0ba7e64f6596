import { LruStateStore, parseMachines } from '@flagstate/core';
import { StateTransitionHook } from '@flagstate/hook';
import { checkoutMachine, VALUES } from '@flagstate/test-kit';
import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import type { ContractSetup } from '../setup.js';

let instance = 0;

/** OpenFeature's InMemoryProvider with StateTransitionHook added to the client: any provider. */
export const inMemoryHookSetup: ContractSetup = {
  name: 'InMemoryProvider + StateTransitionHook on the client',
  notDurable:
    "the hook's default LruStateStore keeps states in process memory; give it the store and log of openDurableState({ dir }) to keep them",
  canHold: false,
  async create({ audit, wrapStore, clock }) {
    const own = new LruStateStore();
    const store = wrapStore ? wrapStore(own) : own;
    const flags = (assign: ReadonlyMap<string, string>, fallback: string) => ({
      checkout: {
        variants: VALUES,
        defaultVariant: fallback,
        disabled: false,
        contextEvaluator: (ctx: { targetingKey?: string }) => assign.get(ctx.targetingKey ?? '') ?? fallback,
      },
    });
    const provider = new InMemoryProvider(flags(new Map(), 'legacy') as never);
    const hook = new StateTransitionHook({
      machines: { machines: { checkout: checkoutMachine() } },
      store,
      audit,
      ...(clock ? { clock } : {}),
    });
    const domain = `contract-in-memory-${instance++}`;
    await OpenFeature.setProviderAndWait(domain, provider);
    const client = OpenFeature.getClient(domain);
    client.addHooks(hook);
    return {
      client,
      store,
      providerName: 'in-memory',
      async retarget(assign, fallback = 'legacy') {
        await provider.putConfiguration(flags(new Map(assign), fallback) as never);
      },
      async redefine(machine) {
        hook.machines = parseMachines({ machines: { checkout: machine } });
      },
      async close() {
        client.clearHooks();
      },
    };
  },
};
