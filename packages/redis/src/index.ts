export { RedisStateStore } from './redis-state-store.js';
export type {
  RedisStateStoreClientOptions,
  RedisStateStoreClusterOptions,
  RedisStateStoreCommonOptions,
  RedisStateStoreOptions,
  RedisStateStoreUrlOptions,
} from './redis-state-store-options.js';
export type { RedisStoreErrorCode } from './redis-store-error.js';
export { RedisStoreError } from './redis-store-error.js';
