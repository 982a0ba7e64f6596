// Records: Redis hashes that redis-cli reads, decoded into the shape core builds, and never
// guessed at when a key holds something else.
import { stateKey, stateRecord } from '@flagstate/core';
import { redisUnavailable } from '@flagstate/test-kit';
import { describe, expect, it } from 'vitest';
import { redisSuite } from './support/redis-suite.js';
import { record } from './support/test-stores.js';

const skip = redisUnavailable();
describe.skipIf(skip !== undefined)(`RedisStateStore records${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const suite = redisSuite();

  it('are hashes that redis-cli reads: HGETALL shows every field, `pending` only while held', async () => {
    const store = suite.stores.store();
    const admin = suite.stores.admin();
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

  it('keep the last known state only while the state is not one of the machine', async () => {
    const store = suite.stores.store();
    const admin = suite.stores.admin();
    const key = stateKey('checkout', 'user-9', store.keyPrefix);
    const unknown = stateRecord('0', 1, 1, 5, undefined, true, 'legacy');
    await store.compareAndSet('checkout', 'user-9', 0, unknown);
    expect(await admin.hgetall(key)).toMatchObject({ state: '0', stale: '1', lastKnown: 'legacy' });
    expect(await store.get('checkout', 'user-9')).toStrictEqual(unknown);
    await store.compareAndSet('checkout', 'user-9', 1, record('v2', 2));
    expect(await admin.hexists(key, 'lastKnown')).toBe(0);
  });

  it('come back in the shape stateRecord() builds: all seven fields, pending and lastKnown undefined when absent', async () => {
    const store = suite.stores.store();
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
    const store = suite.stores.store();
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

  it('that are not state records are reported with the bad field and what it should hold, never guessed', async () => {
    const store = suite.stores.store();
    const admin = suite.stores.admin();
    const valid = {
      state: 'legacy',
      version: '1',
      machineVersion: '1',
      enteredAt: '1795000000123',
      stale: '0',
    };
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...valid, version: 'x' }, 'field "version" is "x", expected an integer >= 1'],
      [{ ...valid, version: '0' }, 'field "version" is "0", expected an integer >= 1'],
      [{ version: '1' }, `field "state" is missing, expected the state's name`],
      [{ ...valid, machineVersion: '1.5' }, 'field "machineVersion" is "1.5", expected an integer >= 1'],
      [{ ...valid, enteredAt: 'soon' }, 'field "enteredAt" is "soon", expected epoch milliseconds'],
      [{ ...valid, stale: 'yes' }, 'field "stale" is "yes", expected "0" or "1"'],
    ];
    for (const [i, [hash, why]] of cases.entries()) {
      const key = stateKey('checkout', `bad-${i}`, store.keyPrefix);
      await admin.hset(key, hash);
      await expect(store.get('checkout', `bad-${i}`)).rejects.toMatchObject({
        code: 'STORE_RECORD_INVALID',
        message: `${key} does not hold a state record: ${why}`,
      });
    }
    const { enteredAt: _, ...noEnteredAt } = valid;
    await admin.hset(stateKey('checkout', 'no-entered-at', store.keyPrefix), noEnteredAt);
    await expect(store.get('checkout', 'no-entered-at')).rejects.toThrow(
      /field "enteredAt" is missing, expected epoch milliseconds$/,
    );
    await admin.set(stateKey('checkout', 'string', store.keyPrefix), 'not a hash');
    await expect(store.get('checkout', 'string')).rejects.toThrow(/WRONGTYPE/);
  });
});
