import type { Cluster, ClusterNode, Redis } from 'ioredis';

/** Options every RedisStateStore takes, whichever way it connects. */
export interface RedisStateStoreCommonOptions {
  /**
   * Prepended to every key: a record lives at `<keyPrefix><machine>:<subject>`. Give each
   * deployment (or test) its own prefix; `size()` and `entries()` see only keys under it.
   * @default "flagstate:"
   */
  readonly keyPrefix?: string;
  /**
   * Forget a subject that is neither read nor written for this many milliseconds (Redis
   * `PEXPIRE`, set by each write and refreshed by each read), as `LruStateStore`'s TTL does.
   * @default undefined (records never expire)
   */
  readonly ttlMs?: number;
  /**
   * The longest any one call may take, waiting for the connection included. A call that runs
   * out of time rejects with `STORE_TIMEOUT`; the store then fails fast with
   * `STORE_UNAVAILABLE` until Redis answers a probe (`TIME`) within this time again. An
   * evaluation makes up to 3 calls in a row in enforce mode (2 more per lost race): the
   * README's "Per evaluation" gives the bound.
   * @default 250
   */
  readonly timeoutMs?: number;
  /**
   * Whether `get` answers from memory. `tracking`: Redis's client-side caching (`CLIENT
   * TRACKING … BCAST`, over RESP2, on one more connection) evicts a record as soon as another
   * process writes it, so steady observations skip the round trip without missing another
   * replica's write; while the invalidation connection is down the cache does not answer.
   * Needs Redis 6 or later (on an older one, or when tracking is refused, every get asks Redis).
   * On a Cluster, every master tracks its own keys (two more connections per master), and the
   * cache answers while all of them are trusted. `off`: every get asks Redis.
   * @default "tracking", or "off" when `nearCacheMs` is set
   */
  readonly nearCache?: 'tracking' | 'off';
  /**
   * The older, time-bound near-cache, without tracking: answer `get` from memory for up to
   * this many milliseconds after this process last read or wrote the record, however another
   * process wrote it since (see the README for exactly which transitions that can miss).
   * Setting it turns tracking off; it cannot be combined with `nearCache: "tracking"`.
   * @default 0 (off)
   */
  readonly nearCacheMs?: number;
  /**
   * Records the near-cache keeps per machine; the least recently fetched goes first.
   * @default 10_000
   */
  readonly nearCacheMaxSubjects?: number;
}

/** Connect with an ioredis client you own: the store never closes it. */
export interface RedisStateStoreClientOptions extends RedisStateStoreCommonOptions {
  /**
   * An ioredis client: a `Redis` (standalone or Sentinel) or a `Cluster`. For the failure
   * behaviour the README describes, create it with `autoResendUnfulfilledCommands: false` and
   * `maxRetriesPerRequest: 0` (for a `Cluster`, in its `redisOptions`); the store never uses
   * the offline queue: it sends only on a ready connection.
   */
  readonly client: Redis | Cluster;
  readonly url?: never;
  readonly cluster?: never;
}

/** Let the store create (and close) its own ioredis client. */
export interface RedisStateStoreUrlOptions extends RedisStateStoreCommonOptions {
  /**
   * A `redis://` or `rediss://` URL.
   * @default "redis://127.0.0.1:6379"
   */
  readonly url?: string;
  readonly client?: never;
  readonly cluster?: never;
}

/** Let the store create (and close) its own ioredis `Cluster` client. */
export interface RedisStateStoreClusterOptions extends RedisStateStoreCommonOptions {
  /** Some of the cluster's nodes, to discover the others from, as ioredis's `Cluster` takes them. */
  readonly cluster: readonly ClusterNode[];
  readonly url?: never;
  readonly client?: never;
}

export type RedisStateStoreOptions =
  | RedisStateStoreClientOptions
  | RedisStateStoreUrlOptions
  | RedisStateStoreClusterOptions;
