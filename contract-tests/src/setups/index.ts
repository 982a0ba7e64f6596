import type { ContractSetup } from '../setup.js';
import { durableProviderSetup } from './durable-provider.setup.js';
import { inMemoryHookSetup } from './in-memory-hook.setup.js';
import { redisSetup, redisSetupUnavailable } from './redis.setup.js';
import { redisClusterSetup, redisClusterSetupUnavailable } from './redis-cluster.setup.js';
import { stateMachineProviderSetup } from './state-machine-provider.setup.js';

if (redisSetupUnavailable !== undefined) {
  console.warn(`contract-tests: skipping the Redis setup: ${redisSetupUnavailable}`);
}
if (redisClusterSetupUnavailable !== undefined) {
  console.warn(`contract-tests: skipping the Redis Cluster setup: ${redisClusterSetupUnavailable}`);
}

/** Every setup the contracts run against. A new setup is one file, added here. */
export const setups: readonly ContractSetup[] = [
  stateMachineProviderSetup,
  durableProviderSetup,
  inMemoryHookSetup,
  ...(redisSetupUnavailable === undefined ? [redisSetup] : []),
  ...(redisClusterSetupUnavailable === undefined ? [redisClusterSetup] : []),
];
