import { Redis } from 'ioredis';

/**
 * The client the store creates from a URL. Nothing waits inside ioredis: the store sends
 * only on a ready connection (no offline queue), and a command in flight when the connection
 * drops is failed, never resent after the store has given up on it.
 */
export function createClient(url: string, timeoutMs: number): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.max(timeoutMs, 1_000),
    // Reconnect quickly at first, then every second, for as long as the store is open.
    retryStrategy: (attempt: number) => Math.min(50 * attempt, 1_000),
  });
}
