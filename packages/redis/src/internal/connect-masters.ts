import { isCluster, type RedisClient } from './redis-client.js';

/**
 * Makes every master connection of a cluster (one PING each); nothing for a single Redis.
 * ioredis connects to a cluster's nodes lazily, on their first command, and with the store's
 * `enableOfflineQueue: false` it refuses a command to a node that is still connecting and
 * sends it again 100 ms later (`retryDelayOnFailover`), behind commands sent after it: two
 * calls for one key would reach Redis out of order. The health probe runs this before the
 * store sends anything, so that no call finds a master connecting.
 */
export async function connectMasters(client: RedisClient): Promise<void> {
  if (!isCluster(client)) return;
  await Promise.all(client.nodes('master').map((node) => (node.status === 'ready' ? 'PONG' : node.ping())));
}
