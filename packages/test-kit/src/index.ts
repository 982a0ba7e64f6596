// Test fixtures shared by flagstate's packages. Private: never published. It depends on no
// flagstate package, so that every package's tests can use it without a dependency cycle.
export type { SyncStore } from './async-store.js';
export { AsyncStore } from './async-store.js';
export { checkoutDocument, HOUR } from './checkout-document.js';
export type { CheckoutMachineOptions, MachineDefinition } from './checkout-machine.js';
export { checkoutMachine, designDocument, flagdTargeting, STATES, VALUES } from './checkout-machine.js';
export { ecsProblems } from './ecs.js';
export { findBinary, unavailableUnlessCi } from './find-binary.js';
export { findPrometheus, prometheusUnavailable } from './find-prometheus.js';
export { findRedisServer, redisUnavailable } from './find-redis.js';
export type { Scavenges } from './gc-runner.js';
export { scavengesDuring } from './gc-runner.js';
export { freeClusterPort, freePort, ping } from './loopback.js';
export type { Otel } from './otel.js';
export { points, setupOtel } from './otel.js';
export { clusterUnavailable, findRedisCli, RedisCluster } from './redis-cluster.js';
export type { RedisHandle, RedisServerOptions } from './redis-server.js';
export { disposeSharedRedis, RedisServer, sharedRedis, useRedis } from './redis-server.js';
export type { Tampering } from './tamper.js';
export { ed25519, forgeUnsignedClose, tamperings } from './tamper.js';
