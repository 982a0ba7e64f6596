// The tracking near-cache (the default): steady reads from memory, evicted as soon as another
// connection writes, deletes or flushes a record, and not trusted while either connection is
// down. Waits are on conditions (the invalidation arrives on another connection), never sleeps.
// Redis also sends the invalidation of a key the store's own script wrote (NOLOOP does not
// cover scripts), so after a write the tests wait until a read answers from memory again.
import { RedisStateStore } from '@flagstate/redis';
import { redisUnavailable } from '@flagstate/test-kit';
import { describe, expect, it, vi } from 'vitest';
import { redisSuite } from './support/redis-suite.js';
import { commandCalls, GENEROUS_TIMEOUT_MS, record } from './support/test-stores.js';

const WAIT = { timeout: 5_000, interval: 5 };

const skip = redisUnavailable();
describe.skipIf(skip !== undefined)(`tracking near-cache${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const suite = redisSuite();

  /** A store with the default near-cache, once Redis's invalidations are flowing. */
  async function trackingStore(keyPrefix?: string): Promise<RedisStateStore> {
    const store = suite.stores.store(keyPrefix === undefined ? {} : { keyPrefix });
    await vi.waitFor(() => expect(store.nearCacheActive, store.nearCacheStatus).toBe(true), WAIT);
    return store;
  }

  /** Waits until the subject's record answers from memory (what Redis holds, read again). */
  const settle = (store: RedisStateStore, subject: string) =>
    vi.waitFor(() => expect(store.get('checkout', subject)).not.toBeInstanceOf(Promise), WAIT);

  it('is the default: steady gets answer synchronously, with no round trip', async () => {
    const store = await trackingStore();
    const admin = suite.stores.admin();
    await store.compareAndSet('checkout', 'u', 0, record('legacy', 1));
    // Retried as a whole: on a loaded machine the cache may stop trusting itself for a moment
    // (its PING answered too late), and then rightly reads Redis.
    await vi.waitFor(
      async () => {
        await settle(store, 'u');
        const before = await commandCalls(admin, 'hgetall');
        for (let i = 0; i < 100; i++) expect(store.get('checkout', 'u')).toStrictEqual(record('legacy', 1));
        expect(await commandCalls(admin, 'hgetall')).toBe(before);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(store.get('checkout', 'absent')).toBeInstanceOf(Promise); // absence is never cached
  });

  it("evicts a record as soon as another replica writes it: the next get reads the other's write", async () => {
    const a = await trackingStore();
    const b = suite.stores.store({ keyPrefix: a.keyPrefix, nearCache: 'off' });
    await a.compareAndSet('checkout', 'u', 0, record('legacy', 1));
    await settle(a, 'u');
    expect(a.get('checkout', 'u')).toStrictEqual(record('legacy', 1));
    expect(await b.compareAndSet('checkout', 'u', 1, record('canary', 2))).toBe(true);
    // Until the invalidation arrives, a may answer legacy from memory; then only canary.
    await vi.waitFor(() => {
      const read = a.get('checkout', 'u');
      if (!(read instanceof Promise)) expect(read).toStrictEqual(record('canary', 2));
      else expect.fail('not cached yet');
    }, WAIT);
  });

  it('evicts on DEL and clears on FLUSHDB, done behind its back', async () => {
    const store = await trackingStore();
    const admin = suite.stores.admin();
    await store.compareAndSet('checkout', 'u', 0, record('legacy', 1));
    await store.compareAndSet('checkout', 'w', 0, record('legacy', 1));
    await settle(store, 'u');
    await settle(store, 'w');
    await admin.del(`${store.keyPrefix}checkout:u`);
    await vi.waitFor(() => expect(store.get('checkout', 'u')).toBeInstanceOf(Promise), WAIT);
    expect(await store.get('checkout', 'u')).toBeUndefined();
    await settle(store, 'w');
    await admin.flushdb();
    await vi.waitFor(() => expect(store.get('checkout', 'w')).toBeInstanceOf(Promise), WAIT);
    expect(await store.get('checkout', 'w')).toBeUndefined();
  });

  it.each([
    ['the invalidation connection', 'flagstate-invalidations'],
    ["the store's connection", 'flagstate-store'],
  ])('does not answer while %s is down, and starts again empty once both are back', async (_, name) => {
    const store = new RedisStateStore({
      url: suite.redis.url,
      keyPrefix: `flagstate-kill-${name}:`,
      timeoutMs: GENEROUS_TIMEOUT_MS,
    });
    try {
      await vi.waitFor(() => expect(store.nearCacheActive).toBe(true), WAIT);
      await store.compareAndSet('checkout', 'u', 0, record('legacy', 1));
      await settle(store, 'u');
      const admin = suite.stores.admin();
      const ids =
        name === 'flagstate-store'
          ? [String(await store.client.client('ID'))]
          : ((await admin.client('LIST')) as string)
              .split('\n')
              .filter((line) => line.includes(`name=${name}`))
              .map((line) => /id=(\d+)/.exec(line)![1]!);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) await admin.client('KILL', 'ID', id);
      await vi.waitFor(() => expect(store.nearCacheActive).toBe(false), WAIT);
      // Written meanwhile by another connection: no invalidation can reach a cache that is not tracking.
      await admin.hset(`${store.keyPrefix}checkout:u`, 'state', 'canary', 'version', '2');
      await vi.waitFor(() => expect(store.nearCacheActive, store.nearCacheStatus).toBe(true), WAIT);
      const read = store.get('checkout', 'u');
      expect(read).toBeInstanceOf(Promise); // emptied: the record is read again
      expect(await read).toStrictEqual(record('canary', 2, { enteredAt: record('legacy', 1).enteredAt }));
    } finally {
      await store.close();
    }
  });

  it('with ttlMs, asks Redis again after a quarter of it, so that reads keep refreshing the TTL', async () => {
    const store = suite.stores.store({ ttlMs: 400 });
    await vi.waitFor(() => expect(store.nearCacheActive).toBe(true), WAIT);
    await store.compareAndSet('checkout', 'u', 0, record('legacy', 1));
    await settle(store, 'u');
    await vi.waitFor(() => expect(store.get('checkout', 'u')).toBeInstanceOf(Promise), WAIT);
  });
});
