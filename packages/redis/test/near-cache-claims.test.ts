// The README's claims about the near-cache, checked evaluation by evaluation: it misses only
// steady observations that its fresh cached record makes look steady (another replica's move,
// a lost record, a hold toward a target it already shows as pending), and nothing else; with
// near-caches on every replica, versions still run 1..n and replay still equals Redis.
import { setTimeout as sleep } from 'node:timers/promises';
import { replayAudit } from '@flagstate/audit';
import { parseMachines, storeSnapshot } from '@flagstate/core';
import { redisUnavailable } from '@flagstate/test-kit';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { raceProblems, versionProblems, writesBySubject } from './support/audit-checks.js';
import { EvaluationAuditor } from './support/evaluation-auditor.js';
import { MACHINE, PHASE_COUNT } from './support/phase-documents.js';
import { redisSuite } from './support/redis-suite.js';
import { type Replica, startReplica } from './support/replica.js';
import { seededRandom } from './support/seeded-random.js';
import { uniquePrefix } from './support/test-stores.js';

/** Enforced, with a bake time (holds) and a maxDwell (stale reports). */
const DWELL_MACHINE = {
  ...MACHINE,
  enforcement: 'enforce',
  states: { legacy: {}, canary: { minDwell: '1s' }, v2: { maxDwell: '150ms' } },
};
const STATES = ['legacy', 'canary', 'v2'];

const skip = redisUnavailable();
describe.skipIf(skip !== undefined)(
  `RedisStateStore near-cache claims${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const suite = redisSuite();
    afterEach(() => OpenFeature.clearProviders());

    /** A near-cached replica A and a replica B without, both enforcing DWELL_MACHINE. */
    async function pair(nearCacheMs: number, name: string) {
      const url = suite.redis.url;
      const keyPrefix = uniquePrefix(name);
      const machine = DWELL_MACHINE;
      const a = await startReplica({ url, keyPrefix, nearCacheMs, name: `${name}-a`, machine });
      const b = await startReplica({ url, keyPrefix, nearCacheMs: 0, name: `${name}-b`, machine });
      const auditor = new EvaluationAuditor(
        suite.stores.store({ keyPrefix, nearCache: 'off' }),
        parseMachines({ machines: { checkout: DWELL_MACHINE } }),
      );
      const key = (subject: string) => `${keyPrefix}checkout:${subject}`;
      return { a, b, auditor, key, close: () => Promise.all([a.close(), b.close()]) };
    }

    it('misses each kind the README lists, and each miss is one its fresh cached record explains', async () => {
      const { a, b, auditor, key, close } = await pair(60_000, 'claims');
      const admin = suite.stores.admin();
      const run = (r: Replica, subject: string, target: string) => {
        r.target(target);
        return auditor.evaluate(r, subject);
      };
      try {
        // Moved: B moves the subject to canary; A, serving legacy from its cache, stays steady.
        await run(a, 'moved', 'legacy');
        await run(b, 'moved', 'canary');
        await run(a, 'moved', 'legacy');
        // Lost: the record disappears from Redis (expiry, a restart); A's cache still has it.
        await run(a, 'lost', 'legacy');
        await admin.del(key('lost'));
        await run(a, 'lost', 'legacy');
        // Hold: A holds the subject at canary toward v2 (bake time); B holds it toward legacy;
        // A, whose cache still shows v2 pending, holds again without writing.
        await run(a, 'hold', 'legacy');
        await run(a, 'hold', 'canary');
        await run(a, 'hold', 'v2');
        await run(b, 'hold', 'legacy');
        await run(a, 'hold', 'v2');
        // Each write after such a miss still goes through Redis: a race, then the real move.
        await run(a, 'moved', 'v2');

        expect(auditor.problems).toEqual([]);
        expect(auditor.counts.misses).toEqual({ moved: 1, lost: 1, hold: 1, dwell: 0 });
        expect(auditor.counts.races).toBe(1);
      } finally {
        await close();
      }
    });

    it('misses nothing else: 2 replicas serving different targets, one near-cached, checked at every evaluation', async () => {
      const N = 250;
      const seed = Number(process.env.NEAR_CACHE_SEED ?? 20261123);
      const next = seededRandom(seed);
      const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
      const { a, b, auditor, key, close } = await pair(N, 'soak');
      const admin = suite.stores.admin();
      const subjects = ['s-0', 's-1', 's-2', 's-3'];
      try {
        for (let step = 0; step < 200; step++) {
          const roll = next();
          if (roll < 0.1) a.target(pick(STATES));
          else if (roll < 0.2) b.target(pick(STATES));
          else if (roll < 0.23) await admin.del(key(pick(subjects)));
          else if (roll < 0.29) await sleep(30 + next() * 1.5 * N); // entries expire; stays pass maxDwell
          await auditor.evaluate(next() < 0.65 ? a : b, pick(subjects));
        }
        expect(auditor.problems, `seed ${seed}`).toEqual([]);
        const { counts } = auditor;
        console.info(`near-cache claims (seed ${seed}): ${JSON.stringify(counts)}`);
        expect(counts.hits).toBeGreaterThan(0);
        expect(counts.races).toBeGreaterThan(0);
        expect(counts.writes).toBeGreaterThan(0);
        expect(Object.values(counts.misses).reduce((n, m) => n + m, 0)).toBeGreaterThan(0);
      } finally {
        await close();
      }
    }, 20_000);

    it('keeps versions 1..n and replay equal to Redis with a near-cache on both replicas writing the same subjects', async () => {
      const url = suite.redis.url;
      const keyPrefix = uniquePrefix('near');
      const a = await startReplica({ url, keyPrefix, nearCacheMs: 60_000, name: 'near-a2' });
      const b = await startReplica({ url, keyPrefix, nearCacheMs: 60_000, name: 'near-b2' });
      const subjects = Array.from({ length: 200 }, (_, i) => `s-${i}`);
      try {
        for (let phase = 0; phase < PHASE_COUNT; phase++) {
          a.phase(phase);
          b.phase(phase);
          // Both replicas evaluate every subject at once; each keeps its own (stale) near-cache.
          await Promise.all(
            subjects.flatMap((s) => [a.evaluate(s, `a/${phase}/${s}`), b.evaluate(s, `b/${phase}/${s}`)]),
          );
        }
        const streams = [await a.records(), await b.records()];
        const replay = replayAudit(streams.flat());
        expect(replay.conflicts).toEqual([]);
        const snapshot = await storeSnapshot(suite.stores.store({ keyPrefix }));
        expect(replay.states).toEqual(snapshot);
        expect(snapshot).toHaveLength(subjects.length);
        const bySubject = writesBySubject(streams.flat());
        expect(versionProblems(bySubject)).toEqual([]);
        const { races, problems } = raceProblems(streams, bySubject);
        expect(problems).toEqual([]);
        expect(races).toBeGreaterThan(0);
      } finally {
        await a.close();
        await b.close();
      }
    });
  },
);
