import type { Cluster, Redis } from 'ioredis';
import { InvalidationTracker, type TrustTarget } from './invalidation-tracker.js';
import type { NearCache } from './near-cache.js';

const noop = () => {};
/** What changes the cluster's masters: a (re)connect, a new slot map, a node added or gone. */
const TOPOLOGY_EVENTS = ['ready', 'refresh', '+node', '-node'] as const;
const nodeName = (node: Redis) => `${node.options.host}:${node.options.port}`;

/** One master's share of the near-cache's trust: the cache answers while every master's does. */
class MasterTrust implements TrustTarget {
  #until = 0;
  readonly #cache: NearCache;
  readonly #changed: () => void;

  constructor(cache: NearCache, changed: () => void) {
    this.#cache = cache;
    this.#changed = changed;
  }

  get trustedUntil(): number {
    return this.#until;
  }

  set trustedUntil(until: number) {
    this.#until = until;
    this.#changed();
  }

  clear(): void {
    this.#cache.clear();
  }

  delete(machine: string, subject: string): void {
    this.#cache.delete(machine, subject);
  }
}

interface Master {
  readonly name: string;
  /** The connection that turns tracking on; ioredis's own node connections are left alone. */
  readonly connection: Redis;
  readonly trust: MasterTrust;
  readonly tracker: InvalidationTracker;
}

/**
 * The tracking near-cache on a Redis Cluster: every master tracks its own keys, so each gets an
 * `InvalidationTracker` (a connection with `CLIENT TRACKING … BCAST` and its subscriber), and
 * the cache answers only while all of them are trusted. The masters are those the cluster
 * knows now: a node promoted in a failover gets a tracker once ioredis sees the new slot map,
 * and until it is trusted (which starts it with an empty cache) nothing answers from memory.
 *
 * The tracking connection is not the one the store writes through, so `NOLOOP` does not spare
 * this process its own writes: each of them evicts its own record, and the next read of that
 * subject asks Redis once. That costs a round trip per state change, never a stale answer.
 */
export class ClusterInvalidations {
  readonly #cluster: Cluster;
  readonly #prefix: string;
  readonly #cache: NearCache;
  readonly #timeoutMs: number;
  readonly #masters = new Map<string, Master>();
  #stopped = false;
  readonly #reconcile = () => this.#track();

  constructor(cluster: Cluster, keyPrefix: string, cache: NearCache, timeoutMs: number) {
    this.#cluster = cluster;
    this.#prefix = keyPrefix;
    this.#cache = cache;
    this.#timeoutMs = timeoutMs;
    cache.trustedUntil = 0;
    for (const event of TOPOLOGY_EVENTS) cluster.on(event, this.#reconcile);
    this.#track();
  }

  /** Whether the cache answers now: every master known to the cluster is tracked, and trusted. */
  get active(): boolean {
    return this.why === '';
  }

  /** Why the cache is not answering: the first master that is not trusted, named. */
  get why(): string {
    if (this.#masters.size === 0) return 'no cluster master known yet';
    for (const m of this.#masters.values()) {
      if (!m.tracker.active) return `master ${m.name}: ${m.tracker.why || 'not trusted yet'}`;
    }
    return '';
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const event of TOPOLOGY_EVENTS) this.#cluster.off(event, this.#reconcile);
    const masters = [...this.#masters.values()];
    this.#masters.clear();
    this.#cache.trustedUntil = 0;
    this.#cache.clear();
    await Promise.all(masters.map((m) => this.#drop(m)));
  }

  /** Tracks the masters the cluster knows now, and stops tracking those it no longer lists. */
  #track(): void {
    if (this.#stopped) return;
    const now = new Map(this.#cluster.nodes('master').map((node) => [nodeName(node), node]));
    for (const [name, master] of this.#masters) {
      if (now.has(name)) continue;
      this.#masters.delete(name);
      void this.#drop(master);
    }
    for (const [name, node] of now) {
      if (this.#masters.has(name)) continue;
      const connection = node.duplicate({
        enableOfflineQueue: false,
        autoResendUnfulfilledCommands: false,
        maxRetriesPerRequest: 0,
        connectionName: 'flagstate-tracking',
        retryStrategy: (attempt: number) => Math.min(50 * attempt, 1_000),
      });
      connection.on('error', noop); // reported through `why`
      const trust = new MasterTrust(this.#cache, () => this.#trustChanged());
      const tracker = new InvalidationTracker(connection, this.#prefix, trust, this.#timeoutMs);
      this.#masters.set(name, { name, connection, trust, tracker });
      // ioredis's node connections connect lazily, and so does their duplicate.
      if (connection.status === 'wait') connection.connect().catch(noop);
    }
    this.#trustChanged();
  }

  /** The cache answers until the earliest master's trust ends; with no master known, not at all. */
  #trustChanged(): void {
    let until = this.#masters.size === 0 ? 0 : Number.POSITIVE_INFINITY;
    for (const m of this.#masters.values()) until = Math.min(until, m.trust.trustedUntil);
    this.#cache.trustedUntil = until;
  }

  async #drop(master: Master): Promise<void> {
    await master.tracker.stop();
    master.connection.disconnect();
  }
}
