/**
 * What the provider and `flagstate validate` must both say of each document in `documents/`.
 * A problem is written as the provider lists it (`path: message`), led by `line:column ` when
 * it has a place in the text; `validate` prints it after `file:` (or `file:line:column:`).
 */
export interface HostileDocument {
  readonly file: string;
  readonly kind: HostileKind;
  /** What the document tries. */
  readonly tries: string;
  /** Accepted: what `validate` summarises, and the machines' states the provider serves. */
  readonly ok?: { readonly summary: string; readonly states?: Readonly<Record<string, readonly string[]>> };
  /** Refused: every problem, in order. */
  readonly problems?: readonly string[];
}

export type HostileKind = 'duplicate keys' | 'nesting' | 'reserved keys' | 'syntax' | 'shape and values';

const LIMIT = 128;
const duplicate = (at: string, path: string, key: string, again: string, first: string) =>
  `${at} ${path}: duplicate key "${key}" at ${again} (first at ${first}); a key may appear only once in an object`;
const tooDeep = (at: string, path: string, where: string) =>
  `${at} ${path}: nested deeper than ${LIMIT} levels of objects and arrays at ${where}; at most ${LIMIT} are allowed (maxDepth)`;
const proto = (path: string) =>
  `${path}: "__proto__" cannot be a key: JavaScript reads it as the object's prototype, so tools drop or misapply it; rename it`;
const notData = (path: string, got: string) =>
  `${path}: expected JSON data (an object, an array, a string, a finite number, true, false or null), got ${got}`;
const notObject = '(document): expected an object with "flags"';
const inherited = ['constructor', 'prototype', 'toString', 'hasOwnProperty'];

export const hostileDocuments: readonly HostileDocument[] = [
  // Duplicate keys: JSON.parse keeps the last one silently; every repeat is named where it is.
  {
    file: 'duplicate-machines-block.json',
    kind: 'duplicate keys',
    tries: 'a second machines block that switches enforce to audit',
    problems: [duplicate('26:3', 'machines', 'machines', 'line 26, column 3', 'line 9, column 3')],
  },
  {
    file: 'duplicate-enforcement.json',
    kind: 'duplicate keys',
    tries: 'enforcement given twice, the second one audit',
    problems: [
      duplicate(
        '15:7',
        'machines.checkout.enforcement',
        'enforcement',
        'line 15, column 7',
        'line 14, column 7',
      ),
    ],
  },
  {
    file: 'duplicate-escaped-key.json',
    kind: 'duplicate keys',
    tries: 'the same key again, spelt with a \\u escape',
    problems: [
      duplicate(
        '15:7',
        'machines.checkout.enforcement',
        'enforcement',
        'line 15, column 7',
        'line 14, column 7',
      ),
    ],
  },
  {
    file: 'duplicate-min-dwell.json',
    kind: 'duplicate keys',
    tries: 'minDwell "1h" then 0, removing the bake time',
    problems: [
      duplicate(
        '17:39',
        'machines.checkout.states.canary.minDwell',
        'minDwell',
        'line 17, column 39',
        'line 17, column 21',
      ),
    ],
  },
  {
    file: 'duplicate-state.json',
    kind: 'duplicate keys',
    tries: 'a state declared twice',
    problems: [
      duplicate(
        '19:9',
        'machines.checkout.states.canary',
        'canary',
        'line 19, column 9',
        'line 17, column 9',
      ),
    ],
  },
  {
    file: 'duplicate-in-transition.json',
    kind: 'duplicate keys',
    tries: 'a transition whose "to" is given twice',
    problems: [
      duplicate(
        '22:41',
        'machines.checkout.transitions[1].to',
        'to',
        'line 22, column 41',
        'line 22, column 29',
      ),
    ],
  },
  {
    file: 'duplicate-flag.json',
    kind: 'duplicate keys',
    tries: 'a flag defined twice, the second one disabled',
    problems: [duplicate('4:5', 'flags.banner', 'banner', 'line 4, column 5', 'line 3, column 5')],
  },
  {
    file: 'duplicate-variant.json',
    kind: 'duplicate keys',
    tries: 'a variant whose value is given twice',
    problems: [duplicate('5:47', 'flags.banner.variants.on', 'on', 'line 5, column 47', 'line 5, column 21')],
  },
  {
    file: 'duplicate-in-targeting.json',
    kind: 'duplicate keys',
    tries: 'a JSON Logic rule whose "if" is replaced by a second one',
    problems: [
      duplicate('7:81', 'flags.banner.targeting.if', 'if', 'line 7, column 81', 'line 7, column 22'),
    ],
  },
  {
    file: 'duplicate-top-level-flags.json',
    kind: 'duplicate keys',
    tries: 'a second, empty flags section',
    problems: [duplicate('3:3', 'flags', 'flags', 'line 3, column 3', 'line 2, column 3')],
  },
  {
    file: 'duplicate-three-keys.json',
    kind: 'duplicate keys',
    tries: 'several repeats in one object: each is named',
    problems: [
      duplicate('3:33', 'metadata.a', 'a', 'line 3, column 33', 'line 3, column 17'),
      duplicate('3:41', 'metadata.b', 'b', 'line 3, column 41', 'line 3, column 25'),
      duplicate('3:49', 'metadata.a', 'a', 'line 3, column 49', 'line 3, column 17'),
    ],
  },
  {
    file: 'duplicate-thirty-times.json',
    kind: 'duplicate keys',
    tries: 'one key 30 times: the list stops at 20, so a hostile file cannot flood the message',
    problems: Array.from({ length: 20 }, (_, i) => {
      // `"k": 0, ` is 8 characters until the values reach two digits.
      const column = 38 + 8 * i + Math.max(0, i - 9);
      return duplicate(`1:${column}`, 'metadata.k', 'k', `line 1, column ${column}`, 'line 1, column 30');
    }),
  },
  {
    file: 'duplicate-machines-block.yaml',
    kind: 'duplicate keys',
    tries: 'the JSON attack in YAML: a second machines block',
    problems: [duplicate('19:1', 'machines', 'machines', 'line 19, column 1', 'line 6, column 1')],
  },
  {
    file: 'duplicate-min-dwell.yaml',
    kind: 'duplicate keys',
    tries: 'minDwell twice in a YAML flow mapping',
    problems: [
      duplicate(
        '14:31',
        'machines.checkout.states.canary.minDwell',
        'minDwell',
        'line 14, column 31',
        'line 14, column 17',
      ),
    ],
  },
  {
    file: 'duplicate-number-and-string-key.yaml',
    kind: 'duplicate keys',
    tries: 'YAML keys 1 and "1", distinct to YAML but one object key',
    problems: [duplicate('6:7', 'flags.tier.variants["1"]', '1', 'line 6, column 7', 'line 5, column 7')],
  },
  {
    file: 'byte-order-mark.json',
    kind: 'duplicate keys',
    tries: 'a byte-order mark in front of JSON: still read as JSON, columns as editors count them',
    problems: [duplicate('3:3', 'flags', 'flags', 'line 3, column 3', 'line 2, column 3')],
  },

  // Nesting: refused at the first place past the limit, before anything recursive reads it.
  {
    file: 'nested-5000-arrays.json',
    kind: 'nesting',
    tries: '5,000 nested arrays, which used to end in a bare RangeError',
    problems: [tooDeep('3:142', `metadata${'[0]'.repeat(127)}`, 'line 3, column 142')],
  },
  {
    file: 'nested-5000-objects-in-targeting.json',
    kind: 'nesting',
    tries: '5,000 nested objects in a targeting rule',
    problems: [tooDeep('7:1145', `flags.banner.targeting${'.var'.repeat(125)}`, 'line 7, column 1145')],
  },
  {
    file: 'nested-5000-flow.yaml',
    kind: 'nesting',
    tries: "5,000 nested YAML flow sequences, which overflow YAML's recursive composer",
    problems: [tooDeep('2:138', `metadata${'[0]'.repeat(127)}`, 'line 2, column 138')],
  },
  {
    file: 'nested-200-block.yaml',
    kind: 'nesting',
    tries: '200 levels of indented YAML mappings',
    problems: [
      tooDeep(
        '130:129',
        `metadata.${Array.from({ length: 127 }, (_, i) => `k${i}`).join('.')}`,
        'line 130, column 129',
      ),
    ],
  },
  {
    file: 'nested-at-limit.json',
    kind: 'nesting',
    tries: 'exactly 128 levels: accepted',
    ok: { summary: '0 machines, 1 flag' },
  },
  {
    file: 'nested-rules-at-limit.json',
    kind: 'nesting',
    tries: 'a targeting rule and a guard 128 levels deep: flagd-core, ajv and the guards cope',
    ok: { summary: '1 machine (gated v1: 2 states, 1 transition), 2 flags', states: { gated: ['a', 'b'] } },
  },
  {
    file: 'nested-one-over-limit.json',
    kind: 'nesting',
    tries: '129 levels: refused',
    problems: [tooDeep('5:898', `flags.deep.variants.value${'.a'.repeat(124)}`, 'line 5, column 898')],
  },
  {
    file: 'nested-by-aliases.yaml',
    kind: 'nesting',
    tries: 'YAML aliases that nest deeper than the text does',
    problems: [
      `${`metadata.again${'[0]'.repeat(126)}`}: nested deeper than ${LIMIT} levels of objects and arrays; at most ${LIMIT} are allowed (maxDepth)`,
    ],
  },
  {
    file: 'nested-5000-unclosed.json',
    kind: 'nesting',
    tries: '5,000 arrays never closed',
    problems: ['2:1 (document): not valid JSON at line 2, column 1: Unexpected end of JSON input'],
  },

  // "__proto__" is refused wherever it is a key; names Object.prototype has work as any other.
  {
    file: 'proto-state.json',
    kind: 'reserved keys',
    tries: 'a state (and variant) named __proto__, which used to vanish',
    problems: [proto('flags.checkout.variants.__proto__'), proto('machines.checkout.states.__proto__')],
  },
  {
    file: 'proto-state.yaml',
    kind: 'reserved keys',
    tries: 'the same in YAML',
    problems: [proto('flags.checkout.variants.__proto__'), proto('machines.checkout.states.__proto__')],
  },
  {
    file: 'proto-variant.json',
    kind: 'reserved keys',
    tries: 'a variant named __proto__ on a flag no machine binds',
    problems: [proto('flags.banner.variants.__proto__')],
  },
  {
    file: 'proto-flag-key.json',
    kind: 'reserved keys',
    tries: 'a flag named __proto__',
    problems: [proto('flags.__proto__')],
  },
  {
    file: 'proto-machine-id.json',
    kind: 'reserved keys',
    tries: 'a machine named __proto__',
    problems: [proto('machines.__proto__')],
  },
  {
    file: 'proto-top-level.json',
    kind: 'reserved keys',
    tries: 'flags smuggled in as the document prototype',
    problems: [proto('__proto__')],
  },
  {
    file: 'proto-in-targeting.json',
    kind: 'reserved keys',
    tries: 'a JSON Logic operator named __proto__',
    problems: [proto('flags.banner.targeting.if[0].__proto__')],
  },
  {
    file: 'proto-migration.json',
    kind: 'reserved keys',
    tries: 'a migration from an old state named __proto__',
    problems: [proto('machines.checkout.migrations[0].states.__proto__')],
  },
  {
    file: 'inherited-names.json',
    kind: 'reserved keys',
    tries: 'a machine, flag, states and variants named constructor, prototype, toString…: they work',
    ok: {
      summary: '1 machine (constructor v1: 4 states, 4 transitions), 2 flags',
      states: { constructor: inherited },
    },
  },
  {
    file: 'inherited-names.yaml',
    kind: 'reserved keys',
    tries: 'the same in YAML',
    ok: {
      summary: '1 machine (constructor v1: 4 states, 4 transitions), 2 flags',
      states: { constructor: inherited },
    },
  },
  {
    file: 'inherited-names-undefined.json',
    kind: 'reserved keys',
    tries: 'inherited names used but never declared: not taken from Object.prototype',
    problems: [
      'machines.m.initial: unknown state "constructor" (states: a, b)',
      'machines.m.transitions[1].to: unknown state "hasOwnProperty" (states: a, b)',
      'machines.m.flags[1]: flag "toString" is not defined in flags',
      'machines.m.transitions[0].guard.flag: gate flag "valueOf" is not defined in flags',
    ],
  },

  // Syntax: the line and column, from JSON's or YAML's own parser.
  {
    file: 'truncated.json',
    kind: 'syntax',
    tries: 'a document cut short',
    problems: [
      "4:1 (document): not valid JSON at line 4, column 1: Expected ',' or '}' after property value",
    ],
  },
  {
    file: 'missing-comma.json',
    kind: 'syntax',
    tries: 'a missing comma',
    problems: [
      "3:3 (document): not valid JSON at line 3, column 3: Expected ',' or '}' after property value",
    ],
  },
  {
    file: 'bad-escape.json',
    kind: 'syntax',
    tries: 'a Windows path with an unescaped backslash',
    problems: ['3:29 (document): not valid JSON at line 3, column 29: Bad escaped character'],
  },
  {
    file: 'tab-indentation.yaml',
    kind: 'syntax',
    tries: 'YAML indented with a tab',
    problems: ['2:1 (document): not valid YAML at line 2, column 1: Tabs are not allowed as indentation'],
  },
  {
    file: 'two-documents.yaml',
    kind: 'syntax',
    tries: 'a second YAML document after ---, which would be ignored',
    problems: [
      '2:1 (document): not valid YAML at line 2, column 1: a flag document is one YAML document, and another starts here',
    ],
  },
  {
    file: 'alias-bomb.yaml',
    kind: 'syntax',
    tries: 'a billion laughs: aliases of aliases',
    problems: [
      '(document): not valid YAML: its aliases expand too far (maxAliasCount 100): Excessive alias count indicates a resource exhaustion attack',
    ],
  },

  // Shape and values: what JSON data cannot hold, and documents that are not objects.
  {
    file: 'self-alias.yaml',
    kind: 'shape and values',
    tries: 'a YAML mapping that contains itself',
    problems: [
      'metadata.again: refers back to an object that contains it (a cycle); expected a tree of JSON values',
    ],
  },
  {
    file: 'infinite-number.json',
    kind: 'shape and values',
    tries: '1e400, which JSON.parse reads as Infinity',
    problems: [notData('flags.limit.variants.max', 'the number Infinity')],
  },
  {
    file: 'not-a-number.yaml',
    kind: 'shape and values',
    tries: "YAML's .nan",
    problems: [notData('flags.limit.variants.max', 'the number NaN')],
  },
  { file: 'array-document.json', kind: 'shape and values', tries: 'an array', problems: [notObject] },
  { file: 'null-document.json', kind: 'shape and values', tries: 'null', problems: [notObject] },
  { file: 'empty.yaml', kind: 'shape and values', tries: 'an empty file', problems: [notObject] },
  {
    file: 'long-key.json',
    kind: 'shape and values',
    tries: 'a 2,000-character key, which JSON allows',
    ok: { summary: '0 machines, 0 flags' },
  },
];
