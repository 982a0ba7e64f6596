// The near-cache: what it saves (round trips on steady reads), the one thing it can miss (a
// steady observation while another process moved the subject), and that it misses nothing
// else (every write is still a compare-and-set against Redis).
import { setTimeout as sleep } from 'node:timers/promises';
import { type AuditRecord, createAuditLog, memorySink, replayAudit, storeSnapshot } from '@flagstate/core';
import { MemoryFlagSource, StateMachineProvider } from '@flagstate/provider';
import { RedisStateStore } from '@flagstate/redis';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { raceProblems, versionProblems, writesBySubject } from './support/audit-checks.js';
import { PHASE_COUNT, phaseDocument } from './support/phase-documents.js';
import { type RedisHandle, redisUnavailable, useRedis } from './support/redis-server.js';
import { commandCalls, deleteKeys, record, TestStores, uniquePrefix } from './support/test-stores.js';

/** A flagstate replica: its own provider, store (near-cache on) and in-memory audit stream. */
async function replica(url: string, keyPrefix: string, nearCacheMs: number, name: string) {
  const sink = memorySink();
  const audit = createAuditLog({ sinks: [sink] });
  const store = new RedisStateStore({ url, keyPrefix, nearCacheMs, timeoutMs: 2_000 });
  const source = new MemoryFlagSource(phaseDocument(0));
  const provider = new StateMachineProvider({ source, store, audit, labels: ['evaluation'] });
  await OpenFeature.setProviderAndWait(name, provider);
  const client = OpenFeature.getClient(name);
  return {
    store,
    source,
    evaluate: (subject: string, evaluation = `${name}/${subject}`) =>
      client.getStringDetails('checkout', 'fallback', { targetingKey: subject, evaluation }),
    /** Serve `state` to everyone from now on. */
    target: (state: string) => {
      const doc = phaseDocument(0) as { flags: { checkout: Record<string, unknown> } };
      source.update({ ...doc, flags: { checkout: { ...doc.flags.checkout, defaultVariant: state } } });
    },
    records: async (): Promise<AuditRecord[]> => {
      await audit.flush();
      return [...sink.records];
    },
    close: async () => {
      await audit.close();
      await store.close();
    },
  };
}

const skip = redisUnavailable();
describe.skipIf(skip !== undefined)(`RedisStateStore near-cache${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let redis: RedisHandle;
  let stores: TestStores;
  beforeAll(async () => {
    redis = await useRedis();
    stores = new TestStores(redis.url);
  });
  afterEach(async () => {
    await OpenFeature.clearProviders();
    await stores.closeAll();
  });
  afterAll(() => redis?.dispose());

  it('is off by default: every get asks Redis', async () => {
    const store = stores.store();
    const admin = stores.admin();
    await store.compareAndSet('checkout', 'u', 0, record('legacy', 1));
    const before = await commandCalls(admin, 'hgetall');
    for (let i = 0; i < 10; i++) expect(store.get('checkout', 'u')).toBeInstanceOf(Promise);
    await sleep(20);
    expect(await commandCalls(admin, 'hgetall')).toBe(before + 10);
  });

  it('answers steady gets synchronously without a round trip, for nearCacheMs after the last Redis read or write', async () => {
    const store = stores.store({ nearCacheMs: 300 });
    const admin = stores.admin();
    await store.compareAndSet('checkout', 'u', 0, record('legacy', 1));
    const before = await commandCalls(admin, 'hgetall');
    for (let i = 0; i < 100; i++) expect(store.get('checkout', 'u')).toStrictEqual(record('legacy', 1));
    expect(await commandCalls(admin, 'hgetall')).toBe(before); // the write filled it
    await sleep(350); // answering does not extend the entry: it has expired
    const read = store.get('checkout', 'u');
    expect(read).toBeInstanceOf(Promise);
    expect(await read).toStrictEqual(record('legacy', 1));
    expect(await commandCalls(admin, 'hgetall')).toBe(before + 1);
    expect(store.get('checkout', 'u')).toStrictEqual(record('legacy', 1)); // the read refilled it
    expect(store.get('checkout', 'absent')).toBeInstanceOf(Promise); // absence is never cached
  });

  it('hides another process’s write until its compare-and-set fails, which evicts, so the re-read asks Redis', async () => {
    const a = stores.store({ nearCacheMs: 60_000 });
    const b = new RedisStateStore({ url: redis.url, keyPrefix: a.keyPrefix });
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

  it('can miss exactly one thing: a steady observation after another replica moved the subject', async () => {
    const prefix = uniquePrefix('near');
    const a = await replica(redis.url, prefix, 60_000, 'near-a');
    const b = await replica(redis.url, prefix, 60_000, 'near-b');
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
      await deleteKeys(redis.url, prefix);
    }
  });

  it('misses nothing else: two near-cached replicas writing the same subjects keep versions 1..n, and replay equals Redis', async () => {
    const prefix = uniquePrefix('near');
    const a = await replica(redis.url, prefix, 60_000, 'near-a2');
    const b = await replica(redis.url, prefix, 60_000, 'near-b2');
    const subjects = Array.from({ length: 200 }, (_, i) => `s-${i}`);
    try {
      for (let phase = 0; phase < PHASE_COUNT; phase++) {
        a.source.update(phaseDocument(phase));
        b.source.update(phaseDocument(phase));
        // Both replicas evaluate every subject at once; each keeps its own (stale) near-cache.
        await Promise.all(
          subjects.flatMap((s) => [a.evaluate(s, `a/${phase}/${s}`), b.evaluate(s, `b/${phase}/${s}`)]),
        );
      }
      const streams = [await a.records(), await b.records()];
      const replay = replayAudit(streams.flat());
      expect(replay.conflicts).toEqual([]);
      const snapshot = await storeSnapshot(stores.store({ keyPrefix: prefix }));
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
});
