// Where a test's Redis comes from: the redis-server binary, else REDIS_URL.
import { findBinary, unavailableUnlessCi } from './find-binary.js';

/** The redis-server binary: $REDIS_SERVER, else the first on $PATH. */
export const findRedisServer = (): string | undefined => findBinary('redis-server', 'REDIS_SERVER');

/**
 * Why the Redis tests cannot run here, or `undefined` when they can. `ownServer`: the test
 * stops and restarts Redis, which needs the binary (REDIS_URL will not do). Throws under CI,
 * which installs redis-server (apt) or sets REDIS_URL.
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
  return unavailableUnlessCi(reason, 'Redis tests');
}
