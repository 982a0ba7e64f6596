import type { Redis } from 'ioredis';

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
   * Answer `get` from memory for up to this many milliseconds after this process last read
   * or wrote the record in Redis, so steady observations skip the round trip. A write by
   * another process stays invisible here for up to this long: see the README for exactly
   * which transitions that can miss. 0 turns it off.
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
   * An ioredis client. For the failure behaviour the README describes, create it with
   * `autoResendUnfulfilledCommands: false` and `maxRetriesPerRequest: 0` (the store never
   * uses the offline queue: it sends only on a ready connection).
   */
  readonly client: Redis;
  readonly url?: never;
}

/** Let the store create (and close) its own ioredis client. */
export interface RedisStateStoreUrlOptions extends RedisStateStoreCommonOptions {
  /**
   * A `redis://` or `rediss://` URL.
   * @default "redis://127.0.0.1:6379"
   */
  readonly url?: string;
  readonly client?: never;
}

export type RedisStateStoreOptions = RedisStateStoreClientOptions | RedisStateStoreUrlOptions;
