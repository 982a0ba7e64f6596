// RedisStateStore on a real Redis Cluster (three masters, one replica each), started once for
// the file: records spread over every master, size() and entries() see them all, and a master
// SIGKILLed mid-run fails calls by the store's failure policy until its replica takes over;
// then they succeed, and nothing in Redis is a state the writers did not write.
import { type StateRecord, storeSnapshot } from '@flagstate/core';
import { RedisStateStore, RedisStoreError } from '@flagstate/redis';
import { clusterUnavailable, RedisCluster } from '@flagstate/test-kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GENEROUS_TIMEOUT_MS, record, uniquePrefix } from './support/test-stores.js';

const WAIT = { timeout: 5_000, interval: 5 };

const skip = clusterUnavailable();
describe.skipIf(skip !== undefined)(
  `RedisStateStore on Redis Cluster${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let cluster: RedisCluster;
    const open: RedisStateStore[] = [];
    const store = (options: { timeoutMs?: number; keyPrefix?: string; nearCache?: 'off' } = {}) => {
      const s = new RedisStateStore({
        cluster: cluster.nodes,
        keyPrefix: uniquePrefix('cluster'),
        ...options,
      });
      open.push(s);
      return s;
    };

    beforeAll(async () => {
      cluster = await RedisCluster.start();
    }, 60_000);
    afterAll(async () => {
      for (const s of open) await s.close();
      await cluster?.dispose();
    });

    it('spreads records over every master; size() and entries() scan them all', async () => {
      const s = store({ timeoutMs: GENEROUS_TIMEOUT_MS });
      for (let i = 0; i < 300; i++)
        expect(await s.compareAndSet('checkout', `u-${i}`, 0, record('legacy', 1))).toBe(true);
      expect(await s.compareAndSet('checkout', 'u-0', 0, record('canary', 2))).toBe(false);
      expect(await s.get('checkout', 'u-7')).toStrictEqual(record('legacy', 1));
      expect(await s.size()).toBe(300);
      const entries = await storeSnapshot(s);
      expect(entries).toHaveLength(300);
      const perMaster = await Promise.all(
        (await cluster.masters()).map(async (m) => {
          const admin = new Redis({ host: '127.0.0.1', port: m.port });
          try {
            return (await admin.dbsize()) > 0;
          } finally {
            admin.disconnect();
          }
        }),
      );
      expect(perMaster).toEqual([true, true, true]);
    });

    // Each master tracks its own keys: a record on any of them answers from memory, and another
    // replica's write to it, on whichever master holds it, evicts it.
    it('the tracking near-cache (the default) answers from memory on every master, and another replica’s write evicts it', async () => {
      const a = store({ timeoutMs: GENEROUS_TIMEOUT_MS });
      const b = store({ timeoutMs: GENEROUS_TIMEOUT_MS, keyPrefix: a.keyPrefix, nearCache: 'off' });
      await vi.waitFor(() => expect(a.nearCacheActive, a.nearCacheStatus).toBe(true), WAIT);
      const subjects = Array.from({ length: 60 }, (_, i) => `n-${i}`);
      for (const subject of subjects)
        expect(await b.compareAndSet('checkout', subject, 0, record('legacy', 1))).toBe(true);
      const held = await Promise.all(
        (await cluster.masters()).map(async (m) => {
          const admin = new Redis({ host: '127.0.0.1', port: m.port });
          try {
            return (await admin.keys(`${a.keyPrefix}*`)).length;
          } finally {
            admin.disconnect();
          }
        }),
      );
      expect(
        held.filter((n) => n > 0),
        'the subjects sit on every master',
      ).toHaveLength(3);
      // Retried as a whole: on a loaded machine a master's PING may answer late, and then the
      // cache rightly reads Redis for a moment.
      await vi.waitFor(
        async () => {
          for (const subject of subjects)
            expect(await a.get('checkout', subject)).toStrictEqual(record('legacy', 1));
          for (const subject of subjects)
            expect(a.get('checkout', subject), subject).toStrictEqual(record('legacy', 1));
        },
        { timeout: 10_000, interval: 100 },
      );
      for (const subject of subjects)
        expect(await b.compareAndSet('checkout', subject, 1, record('canary', 2))).toBe(true);
      // Until its invalidation arrives, a may answer legacy from memory; then only canary.
      await vi.waitFor(async () => {
        for (const subject of subjects) {
          const read = a.get('checkout', subject);
          if (read instanceof Promise) expect(await read).toStrictEqual(record('canary', 2));
          else expect(read, subject).toStrictEqual(record('canary', 2));
        }
      }, WAIT);
    });

    // ioredis connects to a cluster's nodes on their first command, and refuses (then resends,
    // 100 ms later) a command to a node still connecting; a fresh store must not send calls
    // out of order because of it: a read sent before a write must not see that write.
    it("a fresh store's first calls reach every master in the order they were sent", async () => {
      const s = store({ timeoutMs: GENEROUS_TIMEOUT_MS });
      await vi.waitFor(() => expect(s.healthy).toBe(true), { timeout: 5_000, interval: 5 });
      const subjects = Array.from({ length: 30 }, (_, i) => `o-${i}`);
      const reads = await Promise.all(
        subjects.map(async (subject) => {
          const first = s.get('checkout', subject);
          const second = s.get('checkout', subject);
          expect(await first).toBeUndefined();
          // Sent after `second`, so Redis must run it after `second` too.
          expect(await s.compareAndSet('checkout', subject, 0, record('legacy', 1))).toBe(true);
          return second;
        }),
      );
      expect(
        reads.filter((read) => read !== undefined),
        'reads that saw a later write',
      ).toHaveLength(0);
    });

    it('a master killed mid-run: calls fail as STORE_UNAVAILABLE or STORE_TIMEOUT during the failover, then succeed; no wrong state is written', async () => {
      const s = store({ timeoutMs: 250 });
      const subjects = Array.from({ length: 60 }, (_, i) => `f-${i}`);
      /** What each subject's writes left, by version: Redis may only hold one of these. */
      const written = new Map<string, Map<number, StateRecord>>();
      const versions = new Map<string, number>();
      const failures = new Map<string, number>();
      let successes = 0;
      const round = async (n: number) => {
        await Promise.all(
          subjects.map(async (subject) => {
            try {
              const current = (await s.get('checkout', subject))?.version ?? 0;
              const next = record(n % 2 === 0 ? 'legacy' : 'canary', current + 1);
              if (!written.has(subject)) written.set(subject, new Map());
              written.get(subject)!.set(next.version, next); // an uncertain write may be applied too
              if (await s.compareAndSet('checkout', subject, current, next))
                versions.set(subject, next.version);
              successes++;
            } catch (error) {
              expect(error).toBeInstanceOf(RedisStoreError);
              const code = (error as RedisStoreError).code;
              failures.set(code, (failures.get(code) ?? 0) + 1);
            }
          }),
        );
      };
      for (let n = 0; n < 5; n++) await round(n);
      expect(failures.size).toBe(0);

      const victim = (await cluster.masters())[0]!;
      await victim.kill();
      // Rounds go on through the failover until the cluster is whole again.
      let n = 5;
      const healed = cluster.healthy().then(() => true);
      let done = false;
      void healed.then(() => {
        done = true;
      });
      while (!done) await round(n++);
      expect(failures.size, 'calls to the dead master failed meanwhile').toBeGreaterThan(0);
      for (const code of failures.keys()) expect(['STORE_UNAVAILABLE', 'STORE_TIMEOUT']).toContain(code);

      // After the failover, every subject is read and written again.
      const before = successes;
      const settledFailures = new Map(failures);
      await expect
        .poll(
          async () => {
            failures.clear();
            await round(n++);
            return failures.size;
          },
          { timeout: 20_000, interval: 50 },
        )
        .toBe(0);
      expect(successes).toBeGreaterThan(before);
      console.info(`cluster failover: ${JSON.stringify(Object.fromEntries(settledFailures))} failed calls`);

      // The promoted replica is tracked too: the near-cache answers again.
      await vi.waitFor(() => expect(s.nearCacheActive, s.nearCacheStatus).toBe(true), {
        timeout: 10_000,
        interval: 20,
      });

      // Redis holds, for each subject, a record one of its writes made (never another state).
      const held: Array<{ subject: string; record: StateRecord }> = [];
      for await (const { subject, record } of s.entries()) held.push({ subject, record });
      expect(held).toHaveLength(subjects.length);
      for (const { subject, record } of held) {
        expect(written.get(subject)?.get(record.version), subject).toStrictEqual(record);
        expect(record.version).toBe(versions.get(subject));
      }
    }, 60_000);
  },
);
