import { parseStateKey } from '@flagstate/core';
import type { Redis } from 'ioredis';
import type { NearCache } from './near-cache.js';
import { TIMED_OUT, within } from './within.js';

/** What a tracker moves: the near-cache itself, or (on a cluster) one master's share of its trust. */
export type TrustTarget = Pick<NearCache, 'trustedUntil' | 'clear' | 'delete'>;

const CHANNEL = '__redis__:invalidate';
/** ioredis 6's `protocol` option, unknown to ioredis 5's types. */
const RESP2 = { protocol: 2 } as object;
const noop = () => {};
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Keeps a near-cache correct across processes with Redis's server-assisted client-side caching,
 * over RESP2: a second connection subscribes to `__redis__:invalidate`, and the store's own
 * connection runs `CLIENT TRACKING ON REDIRECT <that connection> BCAST PREFIX <keyPrefix>
 * NOLOOP`, so Redis sends the key of every write under the prefix by another connection
 * (and of every expiry or deletion) to the subscriber, which evicts it.
 *
 * The cache answers only while invalidations are known to arrive: from the first PING answered
 * on the subscriber after tracking was turned on, and each answered PING (one every
 * `min(timeoutMs, 1 s) / 2`) extends that by the interval plus `timeoutMs`. Redis sends a
 * write's invalidation before it answers a PING read after that write, so a hit never misses a
 * write older than that bound, even when the subscriber's connection hangs without closing.
 * A connection that drops, on either side, clears the cache; it is trusted again, empty, once
 * both are back and tracking is on again.
 */
export class InvalidationTracker {
  /** Why the cache is not answering, when it is not. */
  why = 'not connected yet';
  readonly #data: Redis;
  readonly #subscriber: Redis;
  readonly #cache: TrustTarget;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #everyMs: number;
  /** The subscriber's CLIENT ID while it is subscribed. */
  #subscriberId: string | undefined;
  #tracking = false;
  /** Bumped by every dropped connection: steps of an earlier start are ignored. */
  #generation = 0;
  #starting: number | undefined;
  #pinging = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  readonly #onReady = () => this.#start();
  readonly #onDataClose = () => this.#untrust("the store's connection dropped");
  readonly #onSubscriberClose = () => {
    this.#subscriberId = undefined;
    this.#untrust('the invalidation connection dropped');
  };
  readonly #onMessage = (channel: Buffer, keys: Buffer[] | null) => this.#invalidate(channel, keys);

  constructor(data: Redis, keyPrefix: string, cache: TrustTarget, timeoutMs: number) {
    this.#data = data;
    this.#cache = cache;
    this.#prefix = keyPrefix;
    this.#timeoutMs = timeoutMs;
    this.#everyMs = Math.max(25, Math.min(timeoutMs, 1_000) / 2);
    // Its own settings whatever the store's client has: nothing queued, nothing resent, and
    // subscribed again by #start (with the new connection's id), not by ioredis.
    this.#subscriber = data.duplicate({
      enableOfflineQueue: false,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      connectionName: 'flagstate-invalidations',
      retryStrategy: (attempt: number) => Math.min(50 * attempt, 1_000),
      // Invalidations reach a redirect client as Pub/Sub messages only over RESP2; ioredis 6
      // speaks RESP3 by default, where none of them arrived and the cache stayed stale.
      // ioredis 5 (RESP2 only) ignores the option.
      ...RESP2,
    });
    this.#subscriber.on('error', noop); // reported through `why`
    this.#subscriber.on('ready', this.#onReady);
    this.#subscriber.on('close', this.#onSubscriberClose);
    this.#subscriber.on('messageBuffer', this.#onMessage);
    data.on('ready', this.#onReady);
    data.on('close', this.#onDataClose);
    if (this.#subscriber.status === 'wait') this.#subscriber.connect().catch(noop);
    this.#start();
  }

  /** Whether the cache answers now. */
  get active(): boolean {
    return this.#tracking && performance.now() <= this.#cache.trustedUntil;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#untrust('the store is closed');
    this.#data.off('ready', this.#onReady);
    this.#data.off('close', this.#onDataClose);
    await within(this.#subscriber.quit(), this.#timeoutMs).catch(noop);
    this.#subscriber.disconnect();
  }

  #untrust(why: string): void {
    this.#generation++;
    this.#tracking = false;
    this.#cache.trustedUntil = 0;
    this.#cache.clear();
    this.why = why;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Subscribes (when needed) and turns tracking on, once both connections are ready. */
  #start(): void {
    const generation = this.#generation;
    if (this.#stopped || this.#tracking || this.#starting === generation) return;
    if (this.#data.status !== 'ready' || this.#subscriber.status !== 'ready') return;
    this.#starting = generation;
    this.#turnOn(generation)
      .then(
        () => {
          if (generation !== this.#generation || this.#stopped) return;
          // Whatever was cached before tracking covered it may be stale: start empty.
          this.#cache.clear();
          this.#tracking = true;
          this.why = 'tracking is on, waiting for the first PING on the invalidation connection';
          this.#timer = setInterval(() => this.#ping(), this.#everyMs);
          this.#timer.unref?.();
          this.#ping();
        },
        (error: unknown) => {
          if (generation !== this.#generation || this.#stopped) return;
          this.why = `CLIENT TRACKING could not be turned on: ${describe(error)}; trying again every ${this.#everyMs * 2} ms`;
          this.#retry ??= setTimeout(() => {
            this.#retry = undefined;
            this.#start();
          }, this.#everyMs * 2);
          this.#retry.unref?.();
        },
      )
      .finally(() => {
        if (this.#starting === generation) this.#starting = undefined;
      });
  }

  async #turnOn(generation: number): Promise<void> {
    const bounded = async <T>(what: string, promise: Promise<T>): Promise<T> => {
      const reply = await within(promise, this.#timeoutMs);
      if (reply === TIMED_OUT) throw new Error(`${what} did not answer within ${this.#timeoutMs} ms`);
      if (generation !== this.#generation) throw new Error('a connection dropped');
      return reply;
    };
    if (this.#subscriberId === undefined) {
      const id = String(await bounded('CLIENT ID', this.#subscriber.client('ID')));
      await bounded('SUBSCRIBE', this.#subscriber.subscribe(CHANNEL));
      this.#subscriberId = id;
    }
    // Tracking cannot be turned on twice for one prefix; OFF first (the cache is not trusted meanwhile).
    await bounded('CLIENT TRACKING OFF', this.#data.client('TRACKING', 'OFF'));
    const on = ['ON', 'REDIRECT', this.#subscriberId, 'BCAST', 'PREFIX', this.#prefix, 'NOLOOP'] as const;
    await bounded('CLIENT TRACKING ON', this.#data.client('TRACKING', ...on));
  }

  #ping(): void {
    if (this.#pinging || !this.#tracking) return;
    const generation = this.#generation;
    const sentAt = performance.now();
    this.#pinging = true;
    within(this.#subscriber.ping(), this.#timeoutMs)
      .then(
        (reply) => {
          if (generation !== this.#generation) return;
          if (reply === TIMED_OUT) {
            this.why = `the invalidation connection did not answer PING within ${this.#timeoutMs} ms`;
            return;
          }
          this.#cache.trustedUntil = sentAt + this.#everyMs + this.#timeoutMs;
          this.why = '';
        },
        (error: unknown) => {
          if (generation === this.#generation) this.why = `PING failed: ${describe(error)}`;
        },
      )
      .finally(() => {
        this.#pinging = false;
      });
  }

  #invalidate(channel: Buffer, keys: Buffer[] | null): void {
    if (channel.toString() !== CHANNEL) return;
    // No keys: Redis flushed the database (FLUSHALL, FLUSHDB) or its tracking table.
    if (keys === null || !Array.isArray(keys)) {
      this.#cache.clear();
      return;
    }
    for (const key of keys) {
      try {
        const { machine, subject } = parseStateKey(key.toString(), this.#prefix);
        this.#cache.delete(machine, subject);
      } catch {
        // Not a state key (another key under the prefix): nothing of it is cached.
      }
    }
  }
}
