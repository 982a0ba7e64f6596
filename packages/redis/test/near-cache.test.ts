// The near-cache: what it saves (round trips on steady reads), how long it answers, and that a
// write never trusts it (a compare-and-set that fails evicts, so the re-read asks Redis).
import { setTimeout as sleep } from 'node:timers/promises';
import { replayAudit } from '@flagstate/audit';
import { storeSnapshot } from '@flagstate/core';
import { RedisStateStore } from '@flagstate/redis';
import { redisUnavailable } from '@flagstate/test-kit';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { redisSuite } from './support/redis-suite.js';
import { startReplica } from './support/replica.js';
import {
  commandCalls,
  deleteKeys,
  GENEROUS_TIMEOUT_MS,
  record,
  uniquePrefix,
} from './support/test-stores.js';

const skip = redisUnavailable();
describe.skipIf(skip !== undefined)(`RedisStateStore near-cache${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const suite = redisSuite();
  afterEach(() => OpenFeature.clearProviders());

  it('off: every get asks Redis', async () => {
    const store = suite.stores.store({ nearCache: 'off' });
    const admin = suite.stores.admin();
    await store.compareAndSet('checkout', 'u', 0, record('legacy', 1));
    const before = await commandCalls(admin, 'hgetall');
    for (let i = 0; i < 10; i++) expect(store.get('checkout', 'u')).toBeInstanceOf(Promise);
    await sleep(20);
    expect(await commandCalls(admin, 'hgetall')).toBe(before + 10);
  });

  it('answers steady gets synchronously without a round trip, for nearCacheMs after the last Redis read or write', async () => {
    const N = 1_000; // long enough that a stall on a busy machine does not expire it early
    const store = suite.stores.store({ nearCacheMs: N });
    const admin = suite.stores.admin();
    await store.compareAndSet('checkout', 'u', 0, record('legacy', 1));
    const before = await commandCalls(admin, 'hgetall');
    for (let i = 0; i < 100; i++) expect(store.get('checkout', 'u')).toStrictEqual(record('legacy', 1));
    expect(await commandCalls(admin, 'hgetall')).toBe(before); // the write filled it
    await sleep(N + 50); // answering does not extend the entry: it has expired
    const read = store.get('checkout', 'u');
    expect(read).toBeInstanceOf(Promise);
    expect(await read).toStrictEqual(record('legacy', 1));
    expect(await commandCalls(admin, 'hgetall')).toBe(before + 1);
    expect(store.get('checkout', 'u')).toStrictEqual(record('legacy', 1)); // the read refilled it
    expect(store.get('checkout', 'absent')).toBeInstanceOf(Promise); // absence is never cached
  });

  it('hides another process’s write until its compare-and-set fails, which evicts, so the re-read asks Redis', async () => {
    const a = suite.stores.store({ nearCacheMs: 60_000 });
    const b = new RedisStateStore({
      url: suite.redis.url,
      keyPrefix: a.keyPrefix,
      timeoutMs: GENEROUS_TIMEOUT_MS,
    });
    try {
      await a.compareAndSet('checkout', 'u', 0, record('legacy', 1));
      expect(await b.compareAndSet('checkout', 'u', 1, record('canary', 2))).toBe(true);
      expect(a.get('checkout', 'u')).toStrictEqual(record('legacy', 1)); // stale, as documented
      expect(await a.compareAndSet('checkout', 'u', 1, record('v2', 2))).toBe(false);
      const reread = a.get('checkout', 'u');
      expect(reread).toBeInstanceOf(Promise);
      expect(await reread).toStrictEqual(record('canary', 2));
    } finally {
      await b.close();
    }
  });

  it('the README’s example: a steady observation after another replica moved the subject, then a race', async () => {
    const url = suite.redis.url;
    const keyPrefix = uniquePrefix('near');
    const a = await startReplica({ url, keyPrefix, nearCacheMs: 60_000, name: 'near-a' });
    const b = await startReplica({ url, keyPrefix, nearCacheMs: 60_000, name: 'near-b' });
    try {
      await a.evaluate('u'); // init legacy, v1
      await b.evaluate('u'); // B reads v1 from Redis and caches it: steady
      a.target('canary');
      expect((await a.evaluate('u')).variant).toBe('canary'); // legacy -> canary, v2

      // B still serves legacy: its cache says legacy, so it answers steady and writes nothing,
      // although Redis says canary. This is the transition the near-cache can miss.
      expect((await b.evaluate('u')).variant).toBe('legacy');
      expect(await b.records()).toEqual([]);

      // Anything that writes goes to Redis: B's stale decision loses the compare-and-set,
      // is reported as a race, and B decides again from Redis's canary.
      b.target('v2');
      expect((await b.evaluate('u', 'b-promote')).variant).toBe('v2');
      const bRecords = await b.records();
      expect(bRecords.map((r) => [r.event.action, r.state_change?.from, r.state_change?.to])).toEqual([
        ['state-race', 'legacy', 'v2'],
        ['state-transition', 'canary', 'v2'],
      ]);
      expect(bRecords.map((r) => r.state_change?.subject_version)).toEqual([2, 3]);

      const records = [...(await a.records()), ...bRecords];
      const replay = replayAudit(records);
      expect(replay.conflicts).toEqual([]);
      expect(replay.states).toEqual(await storeSnapshot(a.store));
    } finally {
      await a.close();
      await b.close();
      await deleteKeys(url, keyPrefix);
    }
  });
});
