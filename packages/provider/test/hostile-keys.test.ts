import { type AuditRecord, createAuditLog, memorySink } from '@flagstate/audit';
import { type MachineDefinitionError, parseMachines } from '@flagstate/core';
import { FlagDocument, FlagDocumentError, StateMachineProvider } from '@flagstate/provider';
import { HOUR } from '@flagstate/test-kit';
import { OpenFeature, ProviderFatalError } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it } from 'vitest';

const silent = { error() {}, warn() {}, info() {}, debug() {} };
const STATES = ['constructor', 'prototype', 'toString', 'hasOwnProperty'] as const;

/** A machine, its flag and its states all named after Object.prototype's members, enforced. */
function inheritedNames() {
  return {
    flags: {
      constructor: {
        state: 'ENABLED',
        variants: { constructor: 'a', prototype: 'b', toString: 'c', hasOwnProperty: 'd' },
        defaultVariant: 'constructor',
        targeting: { if: [{ in: [{ var: 'want' }, [...STATES]] }, { var: 'want' }, 'constructor'] },
      },
      valueOf: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
    },
    machines: {
      constructor: {
        version: 1,
        flags: ['constructor'],
        initial: 'constructor',
        enforcement: 'enforce',
        states: {
          constructor: {},
          prototype: { minDwell: '1h' },
          toString: {},
          hasOwnProperty: { final: true },
        },
        transitions: [
          { from: 'constructor', to: 'prototype' },
          { from: 'prototype', to: 'toString', guard: { flag: 'valueOf' } },
          { from: ['prototype', 'toString'], to: 'hasOwnProperty' },
        ],
      },
    },
  };
}

const PROTO =
  '"__proto__" cannot be a key: JavaScript reads it as the object\'s prototype, so tools drop or misapply it; rename it';

/** The checkout machine with a `__proto__` state and variant, as JSON text. */
const protoStateText = JSON.stringify({
  flags: {
    checkout: { state: 'ENABLED', variants: { legacy: 'old', canary: 'new' }, defaultVariant: 'legacy' },
  },
  machines: {
    checkout: {
      version: 1,
      flags: ['checkout'],
      initial: 'legacy',
      states: { legacy: {}, canary: {} },
      transitions: [{ from: 'legacy', to: 'canary' }],
    },
  },
})
  .replace('"canary":"new"', '"canary":"new","__proto__":"new"')
  .replace('"canary":{}', '"canary":{},"__proto__":{}');

let domain = 0;
afterEach(async () => {
  await OpenFeature.close();
});

describe('keys that name JavaScript internals', () => {
  it('serves and enforces states named constructor, prototype, toString and hasOwnProperty', async () => {
    let now = Date.UTC(2026, 10, 23);
    const sink = memorySink();
    const audit = createAuditLog({ sinks: [sink], checkpointEvery: 0 });
    const provider = new StateMachineProvider({ source: inheritedNames(), audit, clock: { now: () => now } });
    const name = `hostile-keys-${domain++}`;
    await OpenFeature.setProviderAndWait(name, provider);
    const client = OpenFeature.getClient(name);
    const ask = (want: string) =>
      client.getStringDetails('constructor', 'fallback', { targetingKey: 'u', want });

    expect(await ask('constructor')).toMatchObject({ value: 'a', variant: 'constructor' });
    now += 1;
    // No direct move to toString: one hop, to prototype.
    expect(await ask('toString')).toMatchObject({
      value: 'b',
      variant: 'prototype',
      flagMetadata: {
        'flagstate.machine': 'constructor',
        'flagstate.requested': 'toString',
        'flagstate.held': 'illegal',
      },
    });
    now += HOUR - 2;
    expect(await ask('toString')).toMatchObject({
      variant: 'prototype',
      flagMetadata: { 'flagstate.held': 'min_dwell' },
    });
    now += 2;
    expect(await ask('toString')).toMatchObject({ value: 'c', variant: 'toString' });
    expect(await ask('hasOwnProperty')).toMatchObject({ value: 'd', variant: 'hasOwnProperty' });
    // A final state is left by no transition, whatever targeting wants.
    expect(await ask('constructor')).toMatchObject({ variant: 'hasOwnProperty' });

    await audit.flush();
    const changes = sink.records
      .filter((r: AuditRecord) => r.state_change)
      .map((r) => [
        r.event.action,
        r.state_change!.from ?? null,
        r.state_change!.to,
        r.state_change!.pending ?? null,
      ]);
    expect(changes).toEqual([
      ['state-init', null, 'constructor', null],
      ['state-transition', 'constructor', 'prototype', null],
      ['state-transition-held', 'prototype', 'prototype', 'toString'],
      ['state-transition', 'prototype', 'toString', null],
      ['state-transition', 'toString', 'hasOwnProperty', null],
      ['state-transition-held', 'hasOwnProperty', 'hasOwnProperty', 'constructor'],
    ]);
  });

  it('refuses a "__proto__" state, naming it, where it would otherwise vanish', async () => {
    const provider = new StateMachineProvider({
      source: protoStateText,
      audit: createAuditLog({ sinks: [memorySink()] }),
    });
    // A document given in memory can never change: fatal, with the document's error as cause.
    const fatal = await provider.initialize().catch((e: unknown) => e);
    expect(fatal).toBeInstanceOf(ProviderFatalError);
    const error = (fatal as ProviderFatalError).cause;
    expect(error).toBeInstanceOf(FlagDocumentError);
    expect((fatal as ProviderFatalError).message).toBe((error as FlagDocumentError).message);
    expect((error as FlagDocumentError).message).toBe(
      `memory: invalid flag document (2 problems):\n  flags.checkout.variants.__proto__: ${PROTO}\n  machines.checkout.states.__proto__: ${PROTO}`,
    );
  });

  it('refuses it in a parsed document too, with the same words as parseMachines', () => {
    const doc = JSON.parse(protoStateText) as unknown;
    const provider = (() => {
      try {
        FlagDocument.load({ document: doc }, 'doc');
      } catch (error) {
        return (error as FlagDocumentError).issues;
      }
    })();
    const core = (() => {
      try {
        parseMachines(doc);
      } catch (error) {
        expect(error).toMatchObject({ code: 'MACHINE_DOCUMENT_NOT_DATA' });
        return (error as MachineDefinitionError).issues;
      }
    })();
    expect(provider).toEqual([
      { path: 'flags.checkout.variants.__proto__', message: PROTO },
      { path: 'machines.checkout.states.__proto__', message: PROTO },
    ]);
    expect(core).toEqual(provider);
  });
});

describe('documents given as objects', () => {
  const flag = { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' };
  const issuesOf = (document: unknown) => {
    try {
      FlagDocument.load({ document }, 'doc');
    } catch (error) {
      expect(error).toBeInstanceOf(FlagDocumentError);
      return (error as FlagDocumentError).issues;
    }
    throw new Error('expected the document to be refused');
  };
  const data =
    'expected JSON data (an object, an array, a string, a finite number, true, false or null), got';

  it('refuses 10,000 levels of nesting with the path, never a RangeError', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(issuesOf({ flags: {}, metadata: deep })).toEqual([
      {
        path: `metadata${'.a'.repeat(127)}`,
        message: 'nested deeper than 128 levels of objects and arrays; at most 128 are allowed (maxDepth)',
      },
    ]);
  });

  it('evaluates a targeting rule and a guard at the nesting limit', () => {
    // document (1) > flags > pro > targeting > if > rule (6); each turn adds 4 levels: 128 in all.
    let rule: unknown = { '==': [{ var: 'plan' }, 'pro'] };
    for (let i = 0; i < 30; i++) rule = { '!': [{ '!': [rule] }] };
    const doc = FlagDocument.load(
      {
        document: {
          flags: {
            gated: { state: 'ENABLED', variants: { a: 'old', b: 'new' }, defaultVariant: 'a' },
            pro: { ...flag, variants: { on: true, off: false }, targeting: { if: [rule, 'on', 'off'] } },
          },
          machines: {
            gated: {
              version: 1,
              flags: ['gated'],
              initial: 'a',
              states: { a: {}, b: {} },
              transitions: [{ from: 'a', to: 'b', guard: rule }],
            },
          },
        },
      },
      'doc',
    );
    const pro = (plan: string) => doc.core.resolveBooleanEvaluation('pro', false, { plan } as never, silent);
    expect([pro('pro').value, pro('free').value]).toEqual([true, false]);
    const promote = doc.machines.get('gated')!.transitions[0]!;
    expect([doc.guardAllows(promote, { plan: 'pro' }), doc.guardAllows(promote, { plan: 'free' })]).toEqual([
      true,
      false,
    ]);
  });

  it('refuses a cycle, and values JSON has no form for', () => {
    const metadata: Record<string, unknown> = { owner: 'me' };
    metadata.self = metadata;
    expect(issuesOf({ flags: {}, metadata })).toEqual([
      {
        path: 'metadata.self',
        message: 'refers back to an object that contains it (a cycle); expected a tree of JSON values',
      },
    ]);
    const odd = { ...flag, variants: { f: () => 1, b: 1n, d: new Date(0), n: Number.NaN, s: Symbol('s') } };
    expect(issuesOf({ flags: { odd } }).map((i) => `${i.path}: ${i.message}`)).toEqual([
      `flags.odd.variants.f: ${data} a function`,
      `flags.odd.variants.b: ${data} a bigint`,
      `flags.odd.variants.d: ${data} an instance of Date`,
      `flags.odd.variants.n: ${data} the number NaN`,
      `flags.odd.variants.s: ${data} a symbol`,
    ]);
  });

  it('reads a property set to undefined as absent, as JSON does', () => {
    const doc = FlagDocument.load(
      { document: { flags: { f: { ...flag, targeting: undefined } }, metadata: undefined } },
      'doc',
    );
    expect([...doc.core.getFlags().keys()]).toEqual(['f']);
  });

  it('refuses a "__proto__" key made with a computed property, which is an own key', () => {
    expect(issuesOf({ flags: { ['__proto__']: flag } })).toEqual([
      { path: 'flags.__proto__', message: PROTO },
    ]);
  });
});
