// Where a test's Redis comes from: the redis-server binary, else REDIS_URL.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The redis-server binary: $REDIS_SERVER, else the first on $PATH. */
export function findRedisServer(): string | undefined {
  const candidates = [
    process.env.REDIS_SERVER,
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'redis-server')),
  ];
  for (const path of candidates) {
    if (!path) continue;
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not there
    }
  }
  return undefined;
}

/**
 * Why the Redis tests cannot run here, or `undefined` when they can. `ownServer`: the test
 * stops and restarts Redis, which needs the binary (REDIS_URL will not do). Under CI this
 * throws instead: CI installs redis-server and must never skip these tests.
 */
export function redisUnavailable(options: { ownServer?: boolean } = {}): string | undefined {
  const binary = findRedisServer() !== undefined;
  const reason = binary
    ? undefined
    : options.ownServer
      ? 'no redis-server binary on PATH (this test stops and restarts its own server)'
      : process.env.REDIS_URL
        ? undefined
        : 'no redis-server binary on PATH and no REDIS_URL';
  if (reason !== undefined && process.env.CI) {
    throw new Error(
      `CI must run the Redis tests, but ${reason}: install redis-server (apt) or set REDIS_URL`,
    );
  }
  return reason;
}
