import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.js';

/**
 * The compare-and-set, run atomically by Redis.
 *
 * KEYS[1]: the record's key.
 * ARGV: expectedVersion, deadline (epoch ms on Redis's clock, 0: none), ttlMs (0: none),
 *       state, version, machineVersion, enteredAt, stale ("1" | "0"), pending, lastKnown
 *       (each "" when there is none).
 * Returns 1 (written), 0 (the stored version is not expectedVersion; absent counts as 0) or
 * -1 (run after its deadline: the caller has given up on it, so it must not write).
 */
export const CAS_SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local deadline = tonumber(ARGV[2])
if deadline > 0 then
  local now = redis.call('TIME')
  if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > deadline then return -1 end
end
local stored = redis.call('HGET', KEYS[1], 'version')
local current = 0
if stored then current = tonumber(stored) end
if current ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[4], 'version', ARGV[5], 'machineVersion', ARGV[6],
  'enteredAt', ARGV[7], 'stale', ARGV[8])
if ARGV[9] ~= '' then
  redis.call('HSET', KEYS[1], 'pending', ARGV[9])
else
  redis.call('HDEL', KEYS[1], 'pending')
end
if ARGV[10] ~= '' then
  redis.call('HSET', KEYS[1], 'lastKnown', ARGV[10])
else
  redis.call('HDEL', KEYS[1], 'lastKnown')
end
local ttl = tonumber(ARGV[3])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;

export const CAS_SHA = createHash('sha1').update(CAS_SCRIPT).digest('hex');

const isNoScript = (error: unknown) => error instanceof Error && error.message.startsWith('NOSCRIPT');

/**
 * EVALSHA, and EVAL when Redis answers NOSCRIPT (a restarted server, `SCRIPT FLUSH`, a
 * failover): the script body crosses the wire only when Redis does not have it.
 */
export async function runCompareAndSet(
  client: RedisClient,
  key: string,
  args: readonly string[],
): Promise<number> {
  try {
    return Number(await client.evalsha(CAS_SHA, 1, key, ...args));
  } catch (error) {
    if (!isNoScript(error)) throw error;
    return Number(await client.eval(CAS_SCRIPT, 1, key, ...args));
  }
}
