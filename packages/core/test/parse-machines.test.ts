import { MachineDefinitionError, parseMachines } from '@flagstate/core';
import { describe, expect, it } from 'vitest';
import { checkoutDocument, HOUR, machineDoc } from './fixtures/checkout.js';

function issuesOf(doc: unknown) {
  try {
    parseMachines(doc);
  } catch (error) {
    expect(error).toBeInstanceOf(MachineDefinitionError);
    expect((error as MachineDefinitionError).code).toBe('MACHINE_DEFINITION_INVALID');
    return (error as MachineDefinitionError).issues;
  }
  throw new Error('expected the document to be rejected');
}

describe('parseMachines', () => {
  it('compiles the design document', () => {
    const machines = parseMachines(checkoutDocument);
    const m = machines.get('checkout')!;
    expect(machines.size).toBe(1);
    expect(machines.forFlag('checkout')).toBe(m);
    expect(machines.forFlag('checkout-v2-allowed')).toBeUndefined();
    expect(m.version).toBe(3);
    expect(m.initial).toBe('legacy');
    expect(m.stateNames).toEqual(['legacy', 'canary', 'v2', 'retired']);
    expect(m.state('canary')).toEqual({
      name: 'canary',
      minDwellMs: HOUR,
      maxDwellMs: Infinity,
      final: false,
    });
    expect(m.state('v2')!.maxDwellMs).toBe(90 * 24 * HOUR);
    expect(m.state('retired')!.final).toBe(true);
    expect(m.subject).toBe('targetingKey');
    expect(m.stateFrom).toBe('variant');
    expect(m.enforcement).toBe('enforce');
    expect(m.transition('canary', 'v2')).toMatchObject({
      name: 'promote',
      guard: { kind: 'flag', flag: 'checkout-v2-allowed' },
    });
    expect(m.transition('v2', 'retired')!.name).toBe('v2->retired');
    expect(m.migrate(2, 'beta')).toBe('canary');
    expect(m.migrate(1, 'beta')).toBeUndefined();
    expect(Object.isFrozen(m)).toBe(true);
  });

  it('accepts a document with only machines, and one with none', () => {
    expect(parseMachines(machineDoc()).get('m')!.stateNames).toEqual(['a', 'b', 'c']);
    expect(parseMachines({ flags: {} }).size).toBe(0);
  });

  it('applies defaults and reads every duration form', () => {
    const m = parseMachines(
      machineDoc({
        states: {
          a: { minDwell: 500 },
          b: { minDwell: '500ms', maxDwell: '30s' },
          c: { minDwell: '15m', maxDwell: '2d' },
        },
      }),
    ).get('m')!;
    expect([m.subject, m.stateFrom, m.enforcement]).toEqual(['targetingKey', 'variant', 'audit']);
    expect(m.state('a')!.minDwellMs).toBe(500);
    expect(m.state('b')).toMatchObject({ minDwellMs: 500, maxDwellMs: 30_000 });
    expect(m.state('c')).toMatchObject({ minDwellMs: 15 * 60_000, maxDwellMs: 48 * HOUR });
  });

  it('expands "*" to every non-final state but the target, and lets explicit rules win', () => {
    const m = parseMachines(
      machineDoc({
        states: { a: {}, b: {}, c: {}, done: { final: true } },
        transitions: [
          { from: '*', to: 'a', name: 'reset' },
          { from: 'b', to: 'a', name: 'undo', guard: { '==': [{ var: 'plan' }, 'pro'] } },
          { from: 'a', to: 'done' },
        ],
      }),
    ).get('m')!;
    expect(m.transition('c', 'a')!.name).toBe('reset');
    expect(m.transition('b', 'a')).toMatchObject({ name: 'undo', guard: { kind: 'logic' } });
    expect(m.isAllowed('done', 'a')).toBe(false);
    expect(m.isAllowed('a', 'a')).toBe(false);
  });

  // Each bad document, the exact path it is reported at and the message a person reads.
  const bad: Array<[string, unknown, string, string | RegExp]> = [
    ['not an object', 42, '(document)', 'expected a document object, got the number 42'],
    [
      'machines not an object',
      { machines: [] },
      'machines',
      'expected an object of machines by id, got an array',
    ],
    [
      'machine id with a space',
      { machines: { 'check out': machineDoc().machines.m } },
      'machines["check out"]',
      /machine id "check out" must start with a letter or digit/,
    ],
    [
      'missing initial',
      machineDoc({ initial: undefined }),
      'machines.m.initial',
      'is required (expected a string)',
    ],
    [
      'version not an integer',
      machineDoc({ version: 1.5 }),
      'machines.m.version',
      'expected an integer, got the number 1.5',
    ],
    [
      'version zero',
      machineDoc({ version: 0 }),
      'machines.m.version',
      'must be greater than 0, got the number 0',
    ],
    [
      'unknown initial',
      machineDoc({ initial: 'z' }),
      'machines.m.initial',
      'unknown state "z" (states: a, b, c)',
    ],
    [
      'unknown transition target',
      machineDoc({
        transitions: [
          { from: 'a', to: 'b' },
          { from: 'b', to: 'c' },
          { from: 'c', to: 'v3' },
        ],
      }),
      'machines.m.transitions[2].to',
      'unknown state "v3" (states: a, b, c)',
    ],
    [
      'unknown source in a list',
      machineDoc({ transitions: [{ from: ['a', 'x'], to: 'c' }] }),
      'machines.m.transitions[0].from[1]',
      'unknown state "x" (states: a, b, c)',
    ],
    [
      'bad from type',
      machineDoc({ transitions: [{ from: 7, to: 'c' }] }),
      'machines.m.transitions[0].from',
      'expected a state, a list of states or "*", got the number 7',
    ],
    [
      'misspelt state option',
      machineDoc({ states: { a: { minDwel: '1h' }, b: {}, c: {} } }),
      'machines.m.states.a.minDwel',
      'unknown key "minDwel" (allowed: minDwell, maxDwell, final)',
    ],
    [
      'bad duration',
      machineDoc({ states: { a: { minDwell: '1 hour' }, b: {}, c: {} } }),
      'machines.m.states.a.minDwell',
      'expected a duration: milliseconds or a string such as "500ms", "30s", "15m", "1h" or "2d", got the string "1 hour"',
    ],
    [
      'minDwell longer than maxDwell',
      machineDoc({ states: { a: { minDwell: '2h', maxDwell: '30m' }, b: {}, c: {} } }),
      'machines.m.states.a.minDwell',
      'minDwell (2h) is longer than maxDwell (30m), so no stay could be valid',
    ],
    [
      'duplicate transition',
      machineDoc({
        transitions: [
          { from: 'a', to: 'b' },
          { from: ['c', 'a'], to: 'b' },
        ],
      }),
      'machines.m.transitions[1]',
      'duplicates transitions[0] (from "a" to "b")',
    ],
    [
      'final state with an outgoing transition',
      machineDoc({ states: { a: {}, b: { final: true }, c: {} }, transitions: [{ from: 'b', to: 'c' }] }),
      'machines.m.transitions[0].from',
      '"b" is a final state and cannot have outgoing transitions',
    ],
    [
      'self transition',
      machineDoc({ transitions: [{ from: 'a', to: 'a' }] }),
      'machines.m.transitions[0].from',
      'a transition from "a" to itself is never taken: an equal observation is steady',
    ],
    [
      'migration to an unknown state',
      machineDoc({ version: 2, migrations: [{ fromVersion: 1, states: { beta: 'gamma' } }] }),
      'machines.m.migrations[0].states.beta',
      'unknown state "gamma" (states: a, b, c): migration targets are states of version 2',
    ],
    [
      'migration from the current version',
      machineDoc({ version: 2, migrations: [{ fromVersion: 2, states: {} }] }),
      'machines.m.migrations[0].fromVersion',
      "fromVersion 2 must be lower than the machine's version (2)",
    ],
    [
      'flag bound to two machines',
      { machines: { ...machineDoc({}, 'one').machines, ...machineDoc({}, 'two').machines } },
      'machines.two.flags[0]',
      'flag "f" is already bound to machine "one"',
    ],
    [
      'JSON Logic guard with two operators',
      machineDoc({ transitions: [{ from: 'a', to: 'b', guard: { and: [], or: [] } }] }),
      'machines.m.transitions[0].guard',
      'a JSON Logic rule has exactly one operator key, got 2 (and, or)',
    ],
    [
      'flag guard with a non-string key',
      machineDoc({ transitions: [{ from: 'a', to: 'b', guard: { flag: 3 } }] }),
      'machines.m.transitions[0].guard',
      'a flag guard is exactly { "flag": "<key of a boolean flag>" }',
    ],
    [
      'bad enforcement',
      machineDoc({ enforcement: 'block' }),
      'machines.m.enforcement',
      'expected "audit" or "enforce", got the string "block"',
    ],
    [
      'bad subject path',
      machineDoc({ subject: 'user..id' }),
      'machines.m.subject',
      '"user..id" is not an attribute path such as "targetingKey" or "user.id"',
    ],
    ['no flags', machineDoc({ flags: [] }), 'machines.m.flags', 'must have at least 1 item'],
    [
      'variant that is not a state',
      {
        flags: { f: { state: 'ENABLED', variants: { a: 1, b: 2, zz: 3 }, defaultVariant: 'a' } },
        ...machineDoc(),
      },
      'flags.f.variants',
      'variants "zz" of flag "f" are not states of machine "m" (states: a, b, c)',
    ],
    [
      'bound flag missing from flags',
      { flags: {}, ...machineDoc() },
      'machines.m.flags[0]',
      'flag "f" is not defined in flags',
    ],
    [
      'gate flag that is not boolean',
      {
        flags: {
          f: { state: 'ENABLED', variants: { a: 1 }, defaultVariant: 'a' },
          gate: { state: 'ENABLED', variants: { on: 'yes' }, defaultVariant: 'on' },
        },
        ...machineDoc({ transitions: [{ from: 'a', to: 'b', guard: { flag: 'gate' } }] }),
      },
      'machines.m.transitions[0].guard.flag',
      'gate flag "gate" must be a boolean flag (all its variants true or false)',
    ],
    [
      'missing gate flag',
      {
        flags: { f: { state: 'ENABLED', variants: { a: 1 }, defaultVariant: 'a' } },
        ...machineDoc({ transitions: [{ from: 'a', to: 'b', guard: { flag: 'gate' } }] }),
      },
      'machines.m.transitions[0].guard.flag',
      'gate flag "gate" is not defined in flags',
    ],
  ];

  it.each(bad)('rejects %s', (_name, doc, path, message) => {
    const issues = issuesOf(doc);
    const issue = issues.find((i) => i.path === path);
    expect(issue, `issues: ${JSON.stringify(issues)}`).toBeDefined();
    if (typeof message === 'string') expect(issue!.message).toBe(message);
    else expect(issue!.message).toMatch(message);
  });

  it('lists every problem of every machine at once, and names the source', () => {
    const doc = {
      machines: {
        ...machineDoc({ initial: 'z', transitions: [{ from: 'a', to: 'q' }] }, 'one').machines,
        ...machineDoc({ version: 'two', states: { a: { final: 'yes' } } }, 'two').machines,
      },
    };
    let error: MachineDefinitionError | undefined;
    try {
      parseMachines(doc, { source: 'flags.yaml' });
    } catch (e) {
      error = e as MachineDefinitionError;
    }
    // Machine "two" has invalid fields, and the relations between its valid ones are still
    // checked: both machines bind flag "f", and its transitions name states it lacks.
    expect(error!.issues.map((i) => i.path)).toEqual([
      'machines.one.initial',
      'machines.one.transitions[0].to',
      'machines.two.version',
      'machines.two.states.a.final',
      'machines.two.flags[0]',
      'machines.two.transitions[0].to',
      'machines.two.transitions[1].to',
      'machines.two.transitions[1].from',
    ]);
    expect(error!.message).toMatch(
      /^flags\.yaml: invalid machine definition \(8 problems\):\n {2}machines\.one\.initial: /,
    );
    expect(error!.message).not.toMatch(/Invalid input|received/);
  });

  it('checks the relations of a machine whose other fields are invalid', () => {
    const issues = issuesOf(
      machineDoc({
        version: 'x',
        initial: 'z',
        states: { a: { minDwell: 'soon' }, b: {} },
        transitions: [{ from: 'a', to: 'q' }, { from: 7 }, { from: ['b', 'b'], to: 'a' }],
        migrations: [{ fromVersion: 1, states: { old: 'gone' } }],
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'machines.m.version', message: 'expected a number, got the string "x"' },
        { path: 'machines.m.initial', message: 'unknown state "z" (states: a, b)' },
        { path: 'machines.m.transitions[0].to', message: 'unknown state "q" (states: a, b)' },
        { path: 'machines.m.transitions[2].from[1]', message: 'lists "b" twice' },
        {
          path: 'machines.m.migrations[0].states.old',
          message: 'unknown state "gone" (states: a, b): migration targets are states of this version',
        },
      ]),
    );
    expect(issues.map((i) => i.path)).toContain('machines.m.states.a.minDwell');
    expect(issues.map((i) => i.path)).toContain('machines.m.transitions[1].to');
  });

  it('maps what a provider reports to states with stateFrom maps, and checks every target', () => {
    const m = parseMachines(
      machineDoc({ stateFrom: { variant: { '0': 'a', '1': 'b' }, value: { false: 'a', '"x"': 'c' } } }),
    ).get('m')!;
    expect(m.stateOf('0', 'ignored')).toBe('a');
    expect(m.stateOf('9', false)).toBe('a');
    expect(m.stateOf(undefined, '"x"')).toBe('c');
    // Neither map names it: the value's text passes through, since a value map is given.
    expect(m.stateOf('9', 'b')).toBe('b');
    expect(Object.isFrozen(m.stateFrom)).toBe(true);
    const byVariant = parseMachines(machineDoc({ stateFrom: { variant: { '0': 'a' } } })).get('m')!;
    expect([byVariant.stateOf('0', 1), byVariant.stateOf('b', 1), byVariant.stateOf(undefined, 1)]).toEqual([
      'a',
      'b',
      undefined,
    ]);
    const byValue = parseMachines(machineDoc({ stateFrom: 'value' })).get('m')!;
    expect([byValue.stateOf(undefined, 'a'), byValue.stateOf('x', { k: [1] })]).toEqual(['a', '{"k":[1]}']);

    expect(
      issuesOf(machineDoc({ stateFrom: { variant: { '0': 'a', '1': 'q' }, value: { true: 'z' } } })),
    ).toEqual([
      { path: 'machines.m.stateFrom.variant["1"]', message: 'unknown state "q" (states: a, b, c)' },
      { path: 'machines.m.stateFrom.value.true', message: 'unknown state "z" (states: a, b, c)' },
    ]);
    expect(issuesOf(machineDoc({ stateFrom: { variant: { '0': 5 } } }))).toEqual([
      { path: 'machines.m.stateFrom.variant["0"]', message: 'expected a string, got the number 5' },
    ]);
    expect(issuesOf(machineDoc({ stateFrom: {} }))).toEqual([
      { path: 'machines.m.stateFrom', message: 'expected a "variant" map, a "value" map or both' },
    ]);
    expect(issuesOf(machineDoc({ stateFrom: 'index' }))).toEqual([
      {
        path: 'machines.m.stateFrom',
        message:
          'expected "variant", "value" or { "variant": { … }, "value": { … } } mapping what the provider reports to states, got the string "index"',
      },
    ]);
  });

  it('checks stateFrom maps of a machine whose other fields are invalid, and flags served through them', () => {
    expect(issuesOf(machineDoc({ version: 0, stateFrom: { value: { on: 'nope' } } }))).toEqual(
      expect.arrayContaining([
        { path: 'machines.m.stateFrom.value.on', message: 'unknown state "nope" (states: a, b, c)' },
      ]),
    );
    const flags = { f: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' } };
    expect(
      parseMachines({ flags, ...machineDoc({ stateFrom: { value: { true: 'b', false: 'a' } } }) }).size,
    ).toBe(1);
    expect(issuesOf({ flags, ...machineDoc({ stateFrom: { variant: { on: 'b' } } }) })).toEqual([
      {
        path: 'flags.f.variants',
        message: 'through stateFrom, flag "f" serves "off", not states of machine "m" (states: a, b, c)',
      },
    ]);
  });

  it('words zod limits as sentences, never as zod output', () => {
    const issues = issuesOf(machineDoc({ version: 1e20 }));
    expect(issues).toEqual([
      {
        path: 'machines.m.version',
        message:
          'the number 100000000000000000000 is too large to be represented exactly; use a smaller integer',
      },
    ]);
  });

  it('keeps compiled JSON Logic guards apart from the document they came from', () => {
    const rule = { '==': [{ var: 'plan' }, 'pro'] };
    const doc = machineDoc({ transitions: [{ from: 'a', to: 'b', guard: rule }] });
    const guard = parseMachines(doc).get('m')!.transition('a', 'b')!.guard;
    (rule['=='] as unknown[])[1] = 'free';
    expect(guard).toEqual({ kind: 'logic', rule: { '==': [{ var: 'plan' }, 'pro'] } });
    expect(Object.isFrozen(guard!.kind === 'logic' && guard!.rule['=='])).toBe(true);
  });

  it('ignores inherited properties when checking flag bindings', () => {
    const issues = issuesOf({ flags: {}, ...machineDoc({ flags: ['toString'] }) });
    expect(issues).toEqual([
      { path: 'machines.m.flags[0]', message: 'flag "toString" is not defined in flags' },
    ]);
  });
});
