import { RedisStoreError } from '../redis-store-error.js';

/**
 * What a store call rejects with when ioredis rejects: a reply from Redis (`WRONGTYPE`, a
 * script error…) is Redis's answer and passes as it is; anything else (a dropped connection,
 * a write to a closed socket) means Redis is unavailable.
 */
export function clientError(error: unknown, what: string): Error {
  if (error instanceof RedisStoreError) return error;
  if (error instanceof Error && error.name === 'ReplyError') return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RedisStoreError('STORE_UNAVAILABLE', `${what}: Redis unavailable (${message})`, {
    cause: error,
  });
}
