import { LruStateStore, parseStateKey, stateKey, stateRecord } from '@flagstate/core';
import { blankStateRecord } from '@flagstate/core/internal';
import { describe, expect, it } from 'vitest';

const rec = (state: string, version: number) => stateRecord(state, version, 1, 0, undefined, false);

describe('LruStateStore', () => {
  it('compares and sets by version, 0 meaning absent', () => {
    const store = new LruStateStore();
    expect(store.get('m', 'u')).toBeUndefined();
    expect(store.compareAndSet('m', 'u', 1, rec('a', 2))).toBe(false);
    expect(store.compareAndSet('m', 'u', 0, rec('a', 1))).toBe(true);
    expect(store.compareAndSet('m', 'u', 0, rec('b', 1))).toBe(false);
    expect(store.get('m', 'u')!.state).toBe('a');
    expect(store.compareAndSet('m', 'u', 1, rec('b', 2))).toBe(true);
    expect(store.compareAndSet('m', 'u', 1, rec('c', 2))).toBe(false);
    expect(store.get('m', 'u')).toMatchObject({ state: 'b', version: 2 });
    expect(store.size()).toBe(1);
  });

  it('evicts the least recently observed subject beyond maxSubjects', () => {
    const store = new LruStateStore({ maxSubjects: 3 });
    for (const s of ['u1', 'u2', 'u3']) store.compareAndSet('m', s, 0, rec('a', 1));
    store.get('m', 'u1'); // u2 is now the least recently used
    store.compareAndSet('m', 'u4', 0, rec('a', 1));
    expect(store.get('m', 'u2')).toBeUndefined();
    expect(['u1', 'u3', 'u4'].map((s) => store.get('m', s)?.state)).toEqual(['a', 'a', 'a']);
    expect(store.size()).toBe(3);
  });

  it('counts subjects per state as records are written, evicted, expired and refused, equal to a walk', () => {
    let now = 0;
    const store = new LruStateStore({ maxSubjects: 50, ttlMs: 300, clock: { now: () => now } });
    const refusing = new LruStateStore({ maxSubjects: 3, whenFull: 'refuse' });
    const walk = (s: LruStateStore) => {
      const out = new Map<string, Map<string, number>>();
      for (const { machine, record } of s.entries()) {
        const byState = out.get(machine) ?? new Map<string, number>();
        byState.set(record.state, (byState.get(record.state) ?? 0) + 1);
        out.set(machine, byState);
      }
      return out;
    };
    const sorted = (counts: Map<string, Map<string, number>>) =>
      Object.fromEntries(
        [...counts]
          .filter(([, c]) => c.size > 0)
          .map(([m, c]) => [m, Object.fromEntries([...c].sort())])
          .sort(),
      );
    const states = ['legacy', 'canary', 'v2'];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n); // the high bits: an LCG's low bits repeat quickly
    };
    for (let i = 0; i < 5_000; i++) {
      now += random(3);
      const machine = `m${random(2)}`;
      const subject = `u${random(160)}`;
      for (const s of [store, refusing]) {
        const version = s.get(machine, subject)?.version ?? 0;
        try {
          s.compareAndSet(machine, subject, version, rec(states[random(3)]!, version + 1));
        } catch {} // refused: counts unchanged
        // Expired subjects are counted until purged (as documented); size() purges them.
        if (i % 7 === 0) {
          s.size();
          expect(sorted(s.counts())).toEqual(sorted(walk(s)));
        }
      }
    }
    expect(store.stats().evicted).toBeGreaterThan(0);
    expect(refusing.stats().refused).toBeGreaterThan(0);
    now += 2_000;
    store.size();
    expect(sorted(store.counts())).toEqual({});
  });

  it('keeps every field of a record exactly, read whole or into a caller’s record', () => {
    const store = new LruStateStore();
    const records = [
      stateRecord('canary', 7, 3, 1_795_000_000_123.5, 'v2', true),
      stateRecord('legacy', 0xffff_ffff, 0xffff_ffff, 0, undefined, false),
      stateRecord('état ünïcode', 1, 1, -5, 'é', false),
    ];
    records.forEach((r, i) => {
      store.compareAndSet('m', `u${i}`, 0, r);
    });
    const into = blankStateRecord();
    records.forEach((r, i) => {
      expect(store.get('m', `u${i}`)).toEqual(r);
      expect(store.readInto('m', `u${i}`, into)).toBe(true);
      expect({ ...into }).toEqual(r);
    });
    expect(store.readInto('m', 'nobody', into)).toBe(false);
    expect(store.readInto('other-machine', 'u0', into)).toBe(false);
    // A record a caller got stays as it was when the subject moves on.
    const kept = store.get('m', 'u0')!;
    store.compareAndSet('m', 'u0', 7, stateRecord('v2', 8, 3, 1, undefined, false));
    expect(kept).toEqual(records[0]);
    expect(() =>
      store.compareAndSet('m', 'u9', 0, stateRecord('a', 2 ** 32, 1, 0, undefined, false)),
    ).toThrow('record version 4294967296 is not a 32-bit unsigned integer');
  });

  it('keeps any machine version, and a record it refuses takes no room', () => {
    const store = new LruStateStore({ maxSubjects: 2 });
    const dated = stateRecord('a', 1, 202_601_241_200, 5, undefined, false);
    expect(store.compareAndSet('m', 'u1', 0, dated)).toBe(true);
    expect(store.get('m', 'u1')).toEqual(dated);
    for (let i = 0; i < 10; i++) {
      expect(() =>
        store.compareAndSet('m', `bad${i}`, 0, stateRecord('a', -1, 1, 0, undefined, false)),
      ).toThrow(/not a 32-bit unsigned integer/);
    }
    expect(store.compareAndSet('m', 'u2', 0, stateRecord('b', 1, 1, 0, undefined, false))).toBe(true);
    expect(store.compareAndSet('m', 'u3', 0, stateRecord('c', 1, 1, 0, undefined, false))).toBe(true);
    expect(store.size()).toBe(2);
  });

  it('reuses the room of evicted subjects: a long run of new subjects stays within maxSubjects', () => {
    const store = new LruStateStore({ maxSubjects: 3 });
    for (let i = 0; i < 5_000; i++) {
      expect(
        store.compareAndSet('m', `u${i}`, 0, stateRecord(i % 2 ? 'a' : 'b', 1, 1, i, undefined, false)),
      ).toBe(true);
    }
    expect(store.size()).toBe(3);
    expect([...store.entries()].map((e) => [e.subject, e.record.state, e.record.enteredAt])).toEqual([
      ['u4999', 'a', 4999],
      ['u4998', 'b', 4998],
      ['u4997', 'a', 4997],
    ]);
  });

  it('forgets subjects not observed within the TTL', () => {
    let now = 1_000;
    const store = new LruStateStore({ ttlMs: 100, clock: { now: () => now } });
    store.compareAndSet('m', 'idle', 0, rec('a', 1));
    store.compareAndSet('m', 'busy', 0, rec('a', 1));
    now += 60;
    expect(store.get('m', 'busy')).toBeDefined(); // refreshes busy
    now += 60;
    expect(store.get('m', 'idle')).toBeUndefined();
    expect(store.get('m', 'busy')).toBeDefined();
    // An expired subject is absent for compare-and-set too: it starts again at version 1.
    expect(store.compareAndSet('m', 'idle', 0, rec('b', 1))).toBe(true);
    // Expired subjects are not counted, read or not.
    store.compareAndSet('m', 'forgotten', 0, rec('a', 1));
    expect(store.size()).toBe(3);
    now += 101;
    expect(store.size()).toBe(0);
    expect([...store.entries()]).toEqual([]);
  });

  it('rejects bad options', () => {
    expect(() => new LruStateStore({ maxSubjects: 0 })).toThrow(/maxSubjects must be a positive integer/);
    expect(() => new LruStateStore({ ttlMs: -1 })).toThrow(/ttlMs must be positive/);
  });

  it('keeps distinct (machine, subject) pairs apart whatever the subject holds', () => {
    const store = new LruStateStore();
    const pairs: Array<[string, string]> = [
      ['a', 'b:c'],
      ['a:b', 'c'],
      ['a', 'b\u0000c'],
      ['a\u0000b', 'c'],
      ['ab', 'c'],
      ['a', 'bc'],
      ['a', ''],
      ['a', ':'],
    ];
    pairs.forEach(([m, s], i) => {
      expect(store.compareAndSet(m, s, 0, rec(`s${i}`, 1))).toBe(true);
    });
    pairs.forEach(([m, s], i) => {
      expect(store.get(m, s)!.state).toBe(`s${i}`);
    });
    expect(store.size()).toBe(pairs.length);
    expect([...store.entries()].map((e) => [e.machine, e.subject])).toHaveLength(pairs.length);
  });

  it('gives string-keyed stores an injective key', () => {
    const keys = new Set<string>();
    const pairs: Array<[string, string]> = [
      ['a', 'b:c'],
      ['a', 'b'],
      ['a.b', 'c'],
      ['a', 'b.c'],
      ['a-b', ':c'],
      ['a', '-b::c'],
    ];
    for (const [m, s] of pairs) {
      const key = stateKey(m, s, 'flagstate:');
      keys.add(key);
      expect(parseStateKey(key, 'flagstate:')).toEqual({ machine: m, subject: s });
    }
    expect(keys.size).toBe(pairs.length);
    expect(stateKey('checkout', 'user-42', 'flagstate:')).toBe('flagstate:checkout:user-42');
    expect(() => stateKey('a:b', 'c')).toThrow(/invalid machine id/);
  });
});
