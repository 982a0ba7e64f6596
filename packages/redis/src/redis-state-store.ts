import {
  type MaybePromise,
  type StateEntry,
  type StateRecord,
  type StateStore,
  stateKey,
} from '@flagstate/core';
import { runCompareAndSet } from './internal/cas-script.js';
import { ClusterInvalidations } from './internal/cluster-invalidations.js';
import { ConnectionGate } from './internal/connection-gate.js';
import { createClient, createCluster } from './internal/create-client.js';
import { InvalidationTracker } from './internal/invalidation-tracker.js';
import { NearCache } from './internal/near-cache.js';
import { readEntries } from './internal/read-entries.js';
import { casArguments, decodeRecord } from './internal/record-codec.js';
import { isCluster, type RedisClient } from './internal/redis-client.js';
import { resolveOptions } from './internal/resolve-options.js';
import { scanKeys } from './internal/scan-keys.js';
import type { RedisStateStoreOptions } from './redis-state-store-options.js';
import { RedisStoreError } from './redis-store-error.js';

const DEFAULT_URL = 'redis://127.0.0.1:6379';

/**
 * A `StateStore` in Redis, shared by every replica that points at it: a record per
 * (machine, subject) in a hash at `<keyPrefix><machine>:<subject>`, written only by one Lua
 * compare-and-set. Every call is bounded by `timeoutMs` and rejects with a `RedisStoreError`
 * when Redis is down or slow; the hook and the provider catch that, so evaluations go on.
 */
export class RedisStateStore implements StateStore {
  readonly keyPrefix: string;
  readonly #client: RedisClient;
  readonly #gate: ConnectionGate;
  readonly #ttlMs: number;
  readonly #near: NearCache | undefined;
  readonly #tracker: InvalidationTracker | ClusterInvalidations | undefined;

  constructor(options: RedisStateStoreOptions = {}) {
    const resolved = resolveOptions(options);
    const { keyPrefix, ttlMs, timeoutMs, nearCache, nearCacheMs, nearCacheMaxSubjects } = resolved;
    this.keyPrefix = keyPrefix;
    this.#ttlMs = ttlMs;
    const owned = options.client === undefined;
    this.#client =
      options.client ??
      (options.cluster === undefined
        ? createClient(options.url ?? DEFAULT_URL, timeoutMs)
        : createCluster(options.cluster, timeoutMs));
    this.#gate = new ConnectionGate(this.#client, owned, timeoutMs);
    if (nearCache === 'window') this.#near = new NearCache(nearCacheMs, nearCacheMaxSubjects, true);
    if (nearCache === 'tracking') {
      // Reads do not refresh a TTL in Redis, so with one an entry asks Redis again after a
      // quarter of it: a subject read only from memory is not forgotten.
      const entryMs = ttlMs > 0 ? ttlMs / 4 : Number.POSITIVE_INFINITY;
      this.#near = new NearCache(entryMs, nearCacheMaxSubjects, false);
      this.#tracker = isCluster(this.#client)
        ? new ClusterInvalidations(this.#client, keyPrefix, this.#near, timeoutMs)
        : new InvalidationTracker(this.#client, keyPrefix, this.#near, timeoutMs);
    }
  }

  /** The ioredis client the store talks through: a `Redis`, or a `Cluster`. */
  get client(): RedisClient {
    return this.#client;
  }

  /**
   * Whether `get` may answer from memory now: the time-bound cache (`nearCacheMs`) always, the
   * tracking cache while Redis's invalidations are known to arrive; false without a near-cache.
   */
  get nearCacheActive(): boolean {
    if (this.#near === undefined) return false;
    return this.#tracker === undefined || this.#tracker.active;
  }

  /** Why the tracking near-cache is not answering ('' when it is, or when there is none). */
  get nearCacheStatus(): string {
    return this.#tracker?.why ?? '';
  }

  /** Whether the store is sending commands: connected, and its probe answered within `timeoutMs`. */
  get healthy(): boolean {
    return this.#gate.healthy;
  }

  /**
   * The subject's record: synchronously from the near-cache when it has a fresh one, else
   * one `HGETALL` (pipelined with `PEXPIRE` when `ttlMs` is set).
   */
  get(machine: string, subject: string): MaybePromise<StateRecord | undefined> {
    if (this.#near !== undefined) {
      const cached = this.#near.get(machine, subject);
      if (cached !== undefined) return cached;
    }
    return this.#fetch(machine, subject);
  }

  async #fetch(machine: string, subject: string): Promise<StateRecord | undefined> {
    const key = stateKey(machine, subject, this.keyPrefix);
    const client = this.#client;
    const ttl = this.#ttlMs;
    const ticket = this.#near?.begin(machine, subject) ?? 0;
    try {
      const hash = await this.#gate.run('get', async () => {
        if (ttl === 0) return client.hgetall(key);
        const [read] = (await client.pipeline().hgetall(key).pexpire(key, ttl).exec()) ?? [];
        if (read === undefined || read[0] !== null) throw read?.[0] ?? new Error('empty pipeline reply');
        return read[1] as Record<string, string>;
      });
      const record = decodeRecord(hash, key);
      // Replies come back in the order commands were sent on the one connection, and a reply
      // is kept only over its own marker, so the near-cache ends with what this process last
      // saw of the key, unless an invalidation came in between.
      this.#near?.set(machine, subject, ticket, record);
      return record;
    } catch (error) {
      this.#near?.delete(machine, subject);
      throw error;
    }
  }

  /**
   * One Lua script (EVALSHA; EVAL when Redis answers NOSCRIPT): writes `record` only if the
   * stored version is `expectedVersion` (0: no record), sets the TTL, and refuses to run
   * after the call's deadline. A failed or uncertain write evicts the near-cache entry, so
   * the engine's re-read after a lost race always asks Redis.
   */
  async compareAndSet(
    machine: string,
    subject: string,
    expectedVersion: number,
    record: StateRecord,
  ): Promise<boolean> {
    const key = stateKey(machine, subject, this.keyPrefix);
    const client = this.#client;
    const ttl = this.#ttlMs;
    let reply: number;
    const ticket = this.#near?.begin(machine, subject) ?? 0;
    try {
      reply = await this.#gate.run('compareAndSet', (deadline) =>
        runCompareAndSet(client, key, casArguments(expectedVersion, deadline, ttl, record)),
      );
    } catch (error) {
      this.#near?.delete(machine, subject);
      throw error;
    }
    if (reply === 1) {
      this.#near?.set(machine, subject, ticket, record);
      return true;
    }
    this.#near?.delete(machine, subject);
    if (reply === 0) return false;
    this.#gate.trip('compareAndSet ran after its deadline');
    throw new RedisStoreError(
      'STORE_TIMEOUT',
      `compareAndSet ${key}: Redis ran the script after its deadline, so it did not write`,
    );
  }

  /** Keys under the prefix, counted with SCAN (no index is kept, so expired keys drop out). */
  async size(): Promise<number> {
    let n = 0;
    for await (const keys of scanKeys(this.#gate, this.#client, this.keyPrefix)) n += keys.length;
    return n;
  }

  /** Every record under the prefix: SCAN pages, each read with one pipeline of HGETALLs. */
  entries(): AsyncGenerator<StateEntry> {
    return readEntries(this.#gate, this.#client, this.keyPrefix);
  }

  /** Stops the store; a client the store created is closed, a client you passed stays open. */
  async close(): Promise<void> {
    this.#near?.clear();
    await this.#tracker?.stop();
    await this.#gate.close();
  }
}
