import { Cluster, type ClusterNode, Redis } from 'ioredis';

/**
 * Nothing waits inside ioredis: the store sends only on a ready connection (no offline
 * queue), and a command in flight when the connection drops is failed, never resent after
 * the store has given up on it.
 */
const connectionOptions = (timeoutMs: number) => ({
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 0,
  connectTimeout: Math.max(timeoutMs, 1_000),
});

/** Reconnect quickly at first, then every second, for as long as the store is open. */
const retryStrategy = (attempt: number) => Math.min(50 * attempt, 1_000);

/** The client the store creates from a URL. */
export function createClient(url: string, timeoutMs: number): Redis {
  return new Redis(url, { ...connectionOptions(timeoutMs), enableOfflineQueue: false, retryStrategy });
}

/**
 * The client the store creates from cluster nodes. Redirections (MOVED, ASK) and ioredis's
 * retries after a failover stay on: each call is still bounded by `timeoutMs`, and a
 * compare-and-set retried after its deadline refuses to write.
 */
export function createCluster(nodes: readonly ClusterNode[], timeoutMs: number): Cluster {
  return new Cluster([...nodes], {
    enableOfflineQueue: false,
    clusterRetryStrategy: retryStrategy,
    redisOptions: connectionOptions(timeoutMs),
  });
}
