import { LruStateStore } from '@flagstate/core';
import { StateMachineProvider } from '@flagstate/provider';
import { describe, expect, it } from 'vitest';

const document = (enforcement: 'audit' | 'enforce') => ({
  flags: { f: { state: 'ENABLED', variants: { a: 'a', b: 'b' }, defaultVariant: 'a' } },
  machines: {
    m: {
      version: 1,
      flags: ['f'],
      initial: 'a',
      enforcement,
      states: { a: {}, b: {} },
      transitions: [{ from: 'a', to: 'b' }],
    },
  },
});

function capture() {
  const warnings: string[] = [];
  const logger = {
    error: () => undefined,
    warn: (m: string) => warnings.push(m),
    info: () => undefined,
    debug: () => undefined,
  };
  return { warnings, logger };
}

describe('StateMachineProvider store choice', () => {
  it('refuses new subjects rather than forget known ones by default', () => {
    const provider = new StateMachineProvider({ source: document('enforce') });
    expect((provider.store as LruStateStore).whenFull).toBe('refuse');
  });

  it('warns once, naming the machines, when an enforcing document meets a store that evicts', async () => {
    const { warnings, logger } = capture();
    const provider = new StateMachineProvider({
      source: document('enforce'),
      store: new LruStateStore(),
      logger,
    });
    await provider.initialize();
    expect(warnings).toEqual([
      "flagstate: machine(s) m enforce, but the store evicts known subjects when full, so an evicted subject would be served as new; use new LruStateStore({ whenFull: 'refuse' }) (the default store), durable, or RedisStateStore",
    ]);
    await provider.onClose();
  });

  it('says nothing for audit-only machines, or a store that refuses', async () => {
    for (const [enforcement, store] of [
      ['audit', new LruStateStore()],
      ['enforce', new LruStateStore({ whenFull: 'refuse' })],
    ] as const) {
      const { warnings, logger } = capture();
      const provider = new StateMachineProvider({ source: document(enforcement), store, logger });
      await provider.initialize();
      expect(warnings).toEqual([]);
      await provider.onClose();
    }
  });

  it('rejects durable beside its own store or audit log, and beside pseudonymize', () => {
    expect(
      () =>
        new StateMachineProvider({
          source: document('enforce'),
          durable: '/tmp/x',
          store: new LruStateStore(),
        }),
    ).toThrow('durable gives the provider its store: pass one or the other, not both');
    expect(
      () =>
        new StateMachineProvider({
          source: document('enforce'),
          durable: '/tmp/x',
          pseudonymize: { key: 'k'.repeat(32) },
        }),
    ).toThrow(/durable cannot be combined with pseudonymize yet/);
  });
});
