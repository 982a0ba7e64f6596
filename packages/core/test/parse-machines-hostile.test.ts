import { type DefinitionIssue, MachineDefinitionError, parseMachines } from '@flagstate/core';
import { describe, expect, it } from 'vitest';
import { machineDoc } from './fixtures/checkout.js';

/** The issues of a document refused before its machines are read, as not JSON data. */
function notData(doc: unknown, maxDepth?: number): DefinitionIssue[] {
  try {
    parseMachines(doc, maxDepth === undefined ? {} : { maxDepth });
  } catch (error) {
    expect(error).toBeInstanceOf(MachineDefinitionError);
    expect((error as MachineDefinitionError).code).toBe('MACHINE_DOCUMENT_NOT_DATA');
    return [...(error as MachineDefinitionError).issues];
  }
  throw new Error('expected the document to be refused');
}

const PROTO =
  '"__proto__" cannot be a key: JavaScript reads it as the object\'s prototype, so tools drop or misapply it; rename it';
const DATA = 'expected JSON data (an object, an array, a string, a finite number, true, false or null), got';

describe('parseMachines on documents that are not JSON data', () => {
  it('refuses a "__proto__" state, which the schema would drop without a word', () => {
    const doc = JSON.parse(
      '{"machines":{"m":{"version":1,"initial":"a","flags":["f"],"states":{"a":{},"__proto__":{"final":true}}}}}',
    );
    expect(notData(doc)).toEqual([{ path: 'machines.m.states.__proto__', message: PROTO }]);
  });

  it('refuses "__proto__" as a migration source and as a guard operator', () => {
    const doc = machineDoc({
      migrations: [{ fromVersion: 1, states: JSON.parse('{"__proto__":"a"}') }],
      transitions: [{ from: 'a', to: 'b', guard: JSON.parse('{"__proto__":{"var":"x"}}') }],
      version: 2,
    });
    // In document order: the patch keeps transitions where the fixture declares them.
    expect(notData(doc).map((i) => i.path)).toEqual([
      'machines.m.transitions[0].guard.__proto__',
      'machines.m.migrations[0].states.__proto__',
    ]);
  });

  it('refuses a guard nested 10,000 levels deep with its path, never a RangeError', () => {
    let rule: unknown = { var: 'x' };
    for (let i = 0; i < 10_000; i++) rule = { '!': [rule] };
    const issues = notData(machineDoc({ transitions: [{ from: 'a', to: 'b', guard: rule }] }));
    // document (1) > machines > m > transitions > [0] > guard (6), then "!" and its list, by turns.
    expect(issues).toEqual([
      {
        path: `machines.m.transitions[0].guard${'["!"][0]'.repeat(61)}["!"]`,
        message: 'nested deeper than 128 levels of objects and arrays; at most 128 are allowed (maxDepth)',
      },
    ]);
  });

  it('counts depth from the document, with a limit of its own when asked', () => {
    // document (1) > machines (2) > m (3) > states (4) > a (5)
    const doc = machineDoc({ states: { a: {}, b: { minDwell: 1 }, c: {} } });
    expect(parseMachines(doc, { maxDepth: 5 }).get('m')!.stateNames).toEqual(['a', 'b', 'c']);
    expect(notData(doc, 4).map((i) => i.path)).toEqual(['machines.m.states.a']);
    expect(notData(doc, 3)).toEqual([
      {
        path: 'machines.m.flags',
        message: 'nested deeper than 3 levels of objects and arrays; at most 3 are allowed (maxDepth)',
      },
    ]);
  });

  it('refuses a cycle and values JSON cannot hold, each at its path', () => {
    const guard: Record<string, unknown> = { and: [] };
    (guard.and as unknown[]).push(guard);
    expect(notData(machineDoc({ transitions: [{ from: 'a', to: 'b', guard }] }))).toEqual([
      {
        path: 'machines.m.transitions[0].guard.and[0]',
        message: 'refers back to an object that contains it (a cycle); expected a tree of JSON values',
      },
    ]);
    const odd = machineDoc({
      version: 1n,
      states: { a: { minDwell: () => 1 }, b: {}, c: {} },
      subject: Symbol('s'),
    });
    expect(notData(odd).map((i) => `${i.path}: ${i.message}`)).toEqual([
      `machines.m.version: ${DATA} a bigint`,
      `machines.m.states.a.minDwell: ${DATA} a function`,
      `machines.m.subject: ${DATA} a symbol`,
    ]);
  });

  it('reads a property set to undefined as absent, and accepts names that Object.prototype has', () => {
    const doc = machineDoc({
      initial: 'constructor',
      enforcement: undefined,
      states: { constructor: {}, toString: {}, hasOwnProperty: {} },
      transitions: [{ from: 'constructor', to: 'toString' }],
    });
    const m = parseMachines(doc).get('m')!;
    expect(m.stateNames).toEqual(['constructor', 'toString', 'hasOwnProperty']);
    expect(m.isAllowed('constructor', 'toString')).toBe(true);
    expect(m.hasState('valueOf')).toBe(false);
    expect(m.enforcement).toBe('audit');
  });
});
