import { randomUUID } from 'node:crypto';

/**
 * What every run's RedisStateStore gets: a key prefix of its own, and a generous timeout (the
 * contracts check consistency, not latency, on a shared, loaded machine).
 */
export function runStoreOptions(): { readonly keyPrefix: string; readonly timeoutMs: number } {
  return { keyPrefix: `flagstate-contract:${randomUUID()}:`, timeoutMs: 5_000 };
}
