// Stores and an admin client against a test Redis, each under its own key prefix.
import { randomUUID } from 'node:crypto';
import { type StateRecord, stateRecord } from '@flagstate/core';
import { RedisStateStore, type RedisStateStoreCommonOptions } from '@flagstate/redis';
import { Redis } from 'ioredis';
import { prefixPattern } from '../../src/internal/scan-keys.js';

/** The timeout of stores whose test is not about timing. */
export const GENEROUS_TIMEOUT_MS = 5_000;

/** A prefix no other test (or other user of a shared REDIS_URL) writes under. */
export const uniquePrefix = (name = 'test') => `flagstate-${name}:${randomUUID().slice(0, 8)}:`;

/** Opens stores on one Redis and closes them all at the end. */
export class TestStores {
  readonly #url: string;
  readonly #open: Array<{ close(): Promise<void> | void }> = [];
  readonly #prefixes = new Set<string>();

  constructor(url: string) {
    this.#url = url;
  }

  /**
   * A store with its own prefix. Its timeout is generous unless the test sets one: these
   * tests check what the store does, and a loaded machine must not turn that into a timeout.
   */
  store(options: RedisStateStoreCommonOptions & { url?: string } = {}): RedisStateStore {
    const store = new RedisStateStore({
      url: this.#url,
      keyPrefix: uniquePrefix(),
      timeoutMs: GENEROUS_TIMEOUT_MS,
      ...options,
    });
    this.#open.push(store);
    this.#prefixes.add(store.keyPrefix);
    return store;
  }

  /** A plain ioredis client, for looking at Redis the way redis-cli does. */
  admin(): Redis {
    const client = new Redis(this.#url);
    this.#open.push({ close: () => client.disconnect() });
    return client;
  }

  /** Closes every store and client, and deletes the stores' keys (a shared REDIS_URL stays clean). */
  async closeAll(): Promise<void> {
    for (const open of this.#open.splice(0)) await open.close();
    const prefixes = [...this.#prefixes];
    this.#prefixes.clear();
    if (prefixes.length > 0) await deleteKeys(this.#url, ...prefixes);
  }
}

/** A record with every field, as the engine writes them. */
export function record(
  state: string,
  version: number,
  extra: { pending?: string; stale?: boolean; enteredAt?: number; machineVersion?: number } = {},
): StateRecord {
  return stateRecord(
    state,
    version,
    extra.machineVersion ?? 1,
    extra.enteredAt ?? Date.UTC(2026, 10, 23) + version,
    extra.pending,
    extra.stale ?? false,
  );
}

/** Calls of a Redis command so far (INFO commandstats), to count round trips. */
export async function commandCalls(admin: Redis, command: string): Promise<number> {
  const info = await admin.info('commandstats');
  const match = new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(info);
  return match ? Number(match[1]) : 0;
}

/** Deletes every key under the prefixes. */
export async function deleteKeys(url: string, ...prefixes: string[]): Promise<void> {
  const client = new Redis(url);
  try {
    for (const prefix of prefixes) {
      for await (const keys of client.scanStream({ match: prefixPattern(prefix), count: 500 })) {
        if ((keys as string[]).length > 0) await client.del(...(keys as string[]));
      }
    }
  } finally {
    client.disconnect();
  }
}
