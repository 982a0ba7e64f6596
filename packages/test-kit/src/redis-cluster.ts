// A throwaway Redis Cluster of three masters and one replica each, made of redis-server
// children (see redis-server.ts) and joined by `redis-cli --cluster create`. Used by the redis
// package's cluster tests and the Redis Cluster contract setup.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { unavailableUnlessCi } from './find-binary.js';
import { findRedisServer } from './find-redis.js';
import { freeClusterPort } from './loopback.js';
import { RedisServer } from './redis-server.js';

const MASTERS = 3;
/** How long a silent node takes to be marked failed (and its replica promoted): kept short for tests. */
export const NODE_TIMEOUT_MS = 1_000;

/** redis-cli, next to redis-server (Debian's redis-tools, which redis-server depends on). */
export function findRedisCli(): string | undefined {
  const server = findRedisServer();
  if (server === undefined) return undefined;
  const cli = join(dirname(server), 'redis-cli');
  try {
    accessSync(cli, constants.X_OK);
    return cli;
  } catch {
    return undefined;
  }
}

/** Why a cluster cannot be started here, or `undefined`; throws under CI, which must run it. */
export function clusterUnavailable(): string | undefined {
  const reason =
    findRedisServer() === undefined
      ? 'no redis-server binary on PATH'
      : findRedisCli() === undefined
        ? 'no redis-cli next to redis-server (Debian: redis-tools)'
        : undefined;
  return unavailableUnlessCi(reason, 'Redis Cluster tests');
}

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Redis Cluster: ${what} within ${ms} ms`);
    await sleep(25);
  }
}

async function nodeSays(port: number, command: string[]): Promise<string> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await client.connect();
    return String(await client.call(command[0]!, ...command.slice(1)));
  } catch {
    return '';
  } finally {
    client.disconnect();
  }
}

/** Three masters with one replica each on loopback ports, `cluster_state:ok` on every node. */
export class RedisCluster {
  readonly servers: readonly RedisServer[];

  private constructor(servers: readonly RedisServer[]) {
    this.servers = servers;
  }

  static async start(): Promise<RedisCluster> {
    const cli = findRedisCli();
    if (cli === undefined) throw new Error('no redis-cli next to redis-server');
    const args = ['--cluster-enabled', 'yes', '--cluster-node-timeout', String(NODE_TIMEOUT_MS)];
    const ports: number[] = [];
    while (ports.length < MASTERS * 2) {
      const port = await freeClusterPort();
      if (!ports.includes(port)) ports.push(port);
    }
    const servers = await Promise.all(ports.map((port) => RedisServer.start({ port, args })));
    const cluster = new RedisCluster(servers);
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    const created = spawnSync(
      cli,
      ['--cluster', 'create', ...nodes, '--cluster-replicas', '1', '--cluster-yes'],
      {
        encoding: 'utf8',
      },
    );
    if (created.status !== 0) {
      await cluster.dispose();
      throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    }
    await until('every node reports cluster_state:ok', async () => {
      const infos = await Promise.all(ports.map((port) => nodeSays(port, ['CLUSTER', 'INFO'])));
      return infos.every((info) => info.includes('cluster_state:ok'));
    });
    await until('every replica is in sync with its master', async () => {
      const replicas = await Promise.all(ports.map((port) => nodeSays(port, ['INFO', 'replication'])));
      return replicas.filter((info) => info.includes('master_link_status:up')).length === MASTERS;
    });
    return cluster;
  }

  /** Startup nodes for ioredis's `Cluster`. */
  get nodes(): Array<{ host: string; port: number }> {
    return this.servers.filter((s) => s.running).map((s) => ({ host: '127.0.0.1', port: s.port }));
  }

  /** The servers that are masters now, as their nodes report it. */
  async masters(): Promise<RedisServer[]> {
    const roles = await Promise.all(
      this.servers.map(async (s) => (s.running ? await nodeSays(s.port, ['INFO', 'replication']) : '')),
    );
    return this.servers.filter((_, i) => roles[i]!.includes('role:master'));
  }

  /** Waits until every running node reports `cluster_state:ok` again (after a failover). */
  async healthy(ms = 20_000): Promise<void> {
    await until(
      'cluster_state:ok on every running node',
      async () => {
        const running = this.servers.filter((s) => s.running);
        const infos = await Promise.all(running.map((s) => nodeSays(s.port, ['CLUSTER', 'INFO'])));
        return infos.every((info) => info.includes('cluster_state:ok'));
      },
      ms,
    );
  }

  async dispose(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.dispose()));
  }
}
