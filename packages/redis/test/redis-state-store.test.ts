import { setTimeout as sleep } from 'node:timers/promises';
import { stateKey, stateRecord } from '@flagstate/core';
import { RedisStateStore, RedisStoreError } from '@flagstate/redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CAS_SHA } from '../src/internal/cas-script.js';
import { type RedisHandle, redisUnavailable, useRedis } from './support/redis-server.js';
import { commandCalls, deleteKeys, record, TestStores, uniquePrefix } from './support/test-stores.js';

const skip = redisUnavailable();
describe.skipIf(skip !== undefined)(`RedisStateStore${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let redis: RedisHandle;
  let stores: TestStores;
  beforeAll(async () => {
    redis = await useRedis();
    stores = new TestStores(redis.url);
  });
  afterEach(() => stores.closeAll());
  afterAll(() => redis?.dispose());

  describe('compare-and-set', () => {
    it('treats an absent record as version 0 and writes nothing on a version mismatch', async () => {
      const store = stores.store();
      expect(await store.get('checkout', 'u')).toBeUndefined();
      expect(await store.compareAndSet('checkout', 'u', 1, record('canary', 2))).toBe(false);
      expect(await store.get('checkout', 'u')).toBeUndefined();
      expect(await store.compareAndSet('checkout', 'u', 0, record('legacy', 1))).toBe(true);
      expect(await store.compareAndSet('checkout', 'u', 0, record('canary', 1))).toBe(false);
      expect(await store.compareAndSet('checkout', 'u', 2, record('canary', 3))).toBe(false);
      expect(await store.get('checkout', 'u')).toStrictEqual(record('legacy', 1));
      expect(await store.compareAndSet('checkout', 'u', 1, record('canary', 2))).toBe(true);
      expect(await store.get('checkout', 'u')).toStrictEqual(record('canary', 2));
    });

    it('lets exactly one of two clients win each contended write, and loses no update', async () => {
      const a = stores.store();
      const b = new RedisStateStore({ url: redis.url, keyPrefix: a.keyPrefix });
      try {
        const subjects = Array.from({ length: 50 }, (_, i) => `s-${i}`);
        const wins = await Promise.all(
          subjects.map(async (s) => {
            const [x, y] = await Promise.all([
              a.compareAndSet('checkout', s, 0, record('legacy', 1)),
              b.compareAndSet('checkout', s, 0, record('canary', 1)),
            ]);
            return Number(x) + Number(y);
          }),
        );
        expect(wins).toEqual(subjects.map(() => 1));

        // Both clients increment one subject by read-then-compare-and-set, at once.
        let written = 0;
        const increment = async (store: RedisStateStore, times: number) => {
          for (let done = 0; done < times; ) {
            const current = await store.get('checkout', 'counter');
            const version = current?.version ?? 0;
            if (await store.compareAndSet('checkout', 'counter', version, record('legacy', version + 1))) {
              done++;
              written++;
            }
          }
        };
        await Promise.all([increment(a, 100), increment(b, 100)]);
        expect(written).toBe(200);
        expect((await a.get('checkout', 'counter'))?.version).toBe(200);
      } finally {
        await b.close();
      }
    });

    it('still works after SCRIPT FLUSH: EVALSHA falls back to EVAL on NOSCRIPT, once', async () => {
      const store = stores.store();
      const admin = stores.admin();
      expect(await store.compareAndSet('checkout', 'u', 0, record('legacy', 1))).toBe(true);
      await admin.script('FLUSH');
      expect(await admin.script('EXISTS', CAS_SHA)).toEqual([0]);
      const evals = await commandCalls(admin, 'eval');
      const evalshas = await commandCalls(admin, 'evalsha');
      expect(await store.compareAndSet('checkout', 'u', 1, record('canary', 2))).toBe(true);
      expect(await commandCalls(admin, 'eval')).toBe(evals + 1);
      expect(await admin.script('EXISTS', CAS_SHA)).toEqual([1]);
      expect(await store.compareAndSet('checkout', 'u', 2, record('v2', 3))).toBe(true);
      expect(await commandCalls(admin, 'eval')).toBe(evals + 1); // loaded again: EVALSHA from now on
      expect(await commandCalls(admin, 'evalsha')).toBe(evalshas + 2);
      expect((await store.get('checkout', 'u'))?.state).toBe('v2');
    });
  });

  describe('records', () => {
    it('are hashes that redis-cli reads: HGETALL shows every field, `pending` only while held', async () => {
      const store = stores.store();
      const admin = stores.admin();
      const key = stateKey('checkout', 'user-42', store.keyPrefix);
      const held = record('canary', 2, { pending: 'v2', machineVersion: 3, enteredAt: 1_795_000_000_123 });
      await store.compareAndSet('checkout', 'user-42', 0, record('legacy', 1));
      await store.compareAndSet('checkout', 'user-42', 1, held);
      expect(await admin.type(key)).toBe('hash');
      expect(await admin.hgetall(key)).toEqual({
        state: 'canary',
        version: '2',
        machineVersion: '3',
        enteredAt: '1795000000123',
        pending: 'v2',
        stale: '0',
      });
      await store.compareAndSet('checkout', 'user-42', 2, record('v2', 3, { stale: true }));
      expect(await admin.hgetall(key)).toEqual({
        state: 'v2',
        version: '3',
        machineVersion: '1',
        enteredAt: String(Date.UTC(2026, 10, 23) + 3),
        stale: '1',
      });
    });

    it('come back in the shape stateRecord() builds: all six fields, pending undefined when absent', async () => {
      const store = stores.store();
      await store.compareAndSet('checkout', 'a', 0, record('canary', 1, { pending: 'v2', stale: true }));
      await store.compareAndSet('checkout', 'b', 0, record('legacy', 1));
      const a = await store.get('checkout', 'a');
      const b = await store.get('checkout', 'b');
      const shape = Object.keys(stateRecord('s', 1, 1, 0, undefined, false));
      expect(Object.keys(a!)).toEqual(shape);
      expect(Object.keys(b!)).toEqual(shape);
      expect(a).toStrictEqual(record('canary', 1, { pending: 'v2', stale: true }));
      expect(b).toStrictEqual(stateRecord('legacy', 1, 1, Date.UTC(2026, 10, 23) + 1, undefined, false));
    });

    it('keep subjects containing ":" apart: keys are injective', async () => {
      const store = stores.store();
      const subjects = ['a', 'a:b', 'a:b:c', ':', '', 'b'];
      for (const [i, s] of subjects.entries()) {
        expect(await store.compareAndSet('checkout', s, 0, record(`state-${i}`, 1))).toBe(true);
      }
      expect(await store.compareAndSet('checkout-2', 'a:b', 0, record('other', 1))).toBe(true);
      for (const [i, s] of subjects.entries())
        expect((await store.get('checkout', s))?.state).toBe(`state-${i}`);
      const listed = [];
      for await (const e of store.entries()) listed.push(`${e.machine}|${e.subject}|${e.record.state}`);
      expect(listed.sort()).toEqual(
        [...subjects.map((s, i) => `checkout|${s}|state-${i}`), 'checkout-2|a:b|other'].sort(),
      );
      await expect(store.get('check:out', 'x')).rejects.toThrow(TypeError);
    });

    it('that are not state records are reported, never guessed', async () => {
      const store = stores.store();
      const admin = stores.admin();
      await admin.hset(stateKey('checkout', 'bad', store.keyPrefix), { state: 'legacy', version: 'x' });
      await expect(store.get('checkout', 'bad')).rejects.toMatchObject({ code: 'STORE_RECORD_INVALID' });
      await admin.set(stateKey('checkout', 'string', store.keyPrefix), 'not a hash');
      await expect(store.get('checkout', 'string')).rejects.toThrow(/WRONGTYPE/);
    });
  });

  describe('entries and size', () => {
    it('list every record under the prefix across SCAN pages, each once, and nothing else', async () => {
      const base = uniquePrefix('glob');
      // A prefix with glob characters must not match its neighbours' keys.
      const store = stores.store({ keyPrefix: `${base}[a]*?:` });
      const neighbour = stores.store({ keyPrefix: `${base}a-x:` });
      const n = 1_200;
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          store.compareAndSet('checkout', `user-${i}`, 0, record('legacy', 1)),
        ),
      );
      await neighbour.compareAndSet('checkout', 'user-0', 0, record('canary', 1));
      expect(await store.size()).toBe(n);
      expect(await neighbour.size()).toBe(1);
      const seen = new Map<string, number>();
      for await (const { machine, subject, record: r } of store.entries()) {
        expect(machine).toBe('checkout');
        expect(r).toStrictEqual(record('legacy', 1));
        seen.set(subject, (seen.get(subject) ?? 0) + 1);
      }
      expect(seen.size).toBe(n);
      expect([...seen.values()].every((c) => c === 1)).toBe(true);
    });
  });

  describe('ttlMs', () => {
    it('expires a record ttlMs after its last read or write, and each read extends it', async () => {
      const store = stores.store({ ttlMs: 400 });
      const admin = stores.admin();
      const key = stateKey('checkout', 'u', store.keyPrefix);
      await store.compareAndSet('checkout', 'u', 0, record('legacy', 1));
      const ttl = await admin.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(400);
      await sleep(250);
      expect(await store.get('checkout', 'u')).toStrictEqual(record('legacy', 1));
      expect(await admin.pttl(key)).toBeGreaterThan(300); // the read refreshed it
      await sleep(250);
      expect(await store.get('checkout', 'u')).toBeDefined(); // 500 ms after the write, alive
      await sleep(600);
      expect(await store.get('checkout', 'u')).toBeUndefined();
      expect(await admin.exists(key)).toBe(0);
    });

    it('leaves records without expiry when unset', async () => {
      const store = stores.store();
      const admin = stores.admin();
      await store.compareAndSet('checkout', 'u', 0, record('legacy', 1));
      expect(await admin.pttl(stateKey('checkout', 'u', store.keyPrefix))).toBe(-1);
    });
  });

  describe('close', () => {
    it('closes a client the store created, leaves a passed client open, and rejects later calls', async () => {
      const owned = new RedisStateStore({ url: redis.url, keyPrefix: uniquePrefix() });
      await owned.compareAndSet('checkout', 'u', 0, record('legacy', 1));
      await owned.close();
      expect(owned.client.status).toBe('end');
      await expect(owned.get('checkout', 'u')).rejects.toMatchObject({ code: 'STORE_CLOSED' });

      const client = new Redis(redis.url);
      try {
        const borrowed = new RedisStateStore({ client, keyPrefix: owned.keyPrefix });
        expect((await borrowed.get('checkout', 'u'))?.version).toBe(1);
        await borrowed.close();
        expect(client.status).toBe('ready');
        expect(await client.ping()).toBe('PONG');
        await expect(borrowed.compareAndSet('checkout', 'u', 1, record('canary', 2))).rejects.toBeInstanceOf(
          RedisStoreError,
        );
      } finally {
        client.disconnect();
        await deleteKeys(redis.url, owned.keyPrefix);
      }
    });

    it('rejects invalid options', () => {
      expect(() => new RedisStateStore({ url: redis.url, timeoutMs: 0 })).toThrow(RangeError);
      expect(() => new RedisStateStore({ url: redis.url, ttlMs: -1 })).toThrow(RangeError);
      expect(() => new RedisStateStore({ url: redis.url, nearCacheMs: -1 })).toThrow(RangeError);
    });
  });
});
