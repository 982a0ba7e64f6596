import type { Cluster, Redis } from 'ioredis';

/** What the store talks through: one Redis (standalone or Sentinel), or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

export const isCluster = (client: RedisClient): client is Cluster => client.isCluster;

/**
 * The connections holding the store's keys, for SCAN: the client itself, or each master of a
 * cluster (as the cluster knows them now: during a failover, the promoted replica once ioredis
 * has seen the new slot map).
 */
export const masters = (client: RedisClient): Redis[] =>
  isCluster(client) ? client.nodes('master') : [client];
