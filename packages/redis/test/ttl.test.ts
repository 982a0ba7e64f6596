// ttlMs: PEXPIRE set by each write and refreshed by each read, as LruStateStore's TTL.
import { setTimeout as sleep } from 'node:timers/promises';
import { stateKey } from '@flagstate/core';
import { redisUnavailable } from '@flagstate/test-kit';
import { describe, expect, it } from 'vitest';
import { redisSuite } from './support/redis-suite.js';
import { record } from './support/test-stores.js';

const TTL = 1_000; // long enough that a stall of a few hundred ms cannot decide the test

const skip = redisUnavailable();
describe.skipIf(skip !== undefined)(`RedisStateStore ttlMs${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const suite = redisSuite();

  it('expires a record ttlMs after its last read or write, and each read extends it', async () => {
    const store = suite.stores.store({ ttlMs: TTL });
    const admin = suite.stores.admin();
    const key = stateKey('checkout', 'u', store.keyPrefix);
    await store.compareAndSet('checkout', 'u', 0, record('legacy', 1));
    const ttl = await admin.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL);
    await sleep(600);
    expect(await store.get('checkout', 'u')).toStrictEqual(record('legacy', 1));
    expect(await admin.pttl(key)).toBeGreaterThan(TTL - 300); // the read refreshed it (else at most 400)
    await sleep(600);
    expect(await store.get('checkout', 'u')).toBeDefined(); // 1,200 ms after the write, alive
    await sleep(TTL + 200);
    expect(await store.get('checkout', 'u')).toBeUndefined();
    expect(await admin.exists(key)).toBe(0);
  });

  it('leaves records without expiry when unset', async () => {
    const store = suite.stores.store();
    const admin = suite.stores.admin();
    await store.compareAndSet('checkout', 'u', 0, record('legacy', 1));
    expect(await admin.pttl(stateKey('checkout', 'u', store.keyPrefix))).toBe(-1);
  });
});
