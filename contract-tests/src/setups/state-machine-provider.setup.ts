import { LruStateStore } from '@flagstate/core';
import type { ContractSetup } from '../setup.js';
import { providerHarness } from './provider-harness.js';

/** The flagstate provider, its hook registered as a provider hook, the LRU store. */
export const stateMachineProviderSetup: ContractSetup = {
  name: 'StateMachineProvider + LruStateStore',
  notDurable:
    "LruStateStore keeps states in process memory; the provider's durable option (the setup above) keeps them",
  canHold: true,
  async create({ audit, wrapStore, clock, enforcement }) {
    return providerHarness({ audit, store: new LruStateStore(), wrapStore, clock, enforcement });
  },
};
