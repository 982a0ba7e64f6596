// Hostile evaluation contexts, each with the subject flagstate must read from it (or none).
// Targeting, enforcement and the hook read the subject the same way: own properties only, a
// non-empty well-formed string of at most 256 code units, or a finite number as its string.

export interface HostileContext {
  readonly name: string;
  readonly context: () => Record<string, unknown>;
  /** The subject tracked, or `undefined` when the context has none. */
  readonly subject: string | undefined;
  /**
   * flagd-core's targeting refuses the context (a `targetingKey` that is not a string, once
   * finite numbers are strings): the evaluation fails with the caller's default, in any mode.
   */
  readonly targetingError?: true;
}

const json = (text: string) => () => JSON.parse(text) as Record<string, unknown>;

export const HOSTILE_CONTEXTS: readonly HostileContext[] = [
  { name: 'a plain string', context: () => ({ targetingKey: 'user-1' }), subject: 'user-1' },
  {
    name: 'a string with a trailing space is another subject',
    context: () => ({ targetingKey: 'user-1 ' }),
    subject: 'user-1 ',
  },
  { name: 'an integer', context: () => ({ targetingKey: 42 }), subject: '42' },
  { name: 'minus zero', context: () => ({ targetingKey: -0 }), subject: '0' },
  { name: 'a fraction', context: () => ({ targetingKey: 1.5 }), subject: '1.5' },
  { targetingError: true, name: 'NaN', context: () => ({ targetingKey: Number.NaN }), subject: undefined },
  {
    targetingError: true,
    name: 'Infinity',
    context: () => ({ targetingKey: Number.POSITIVE_INFINITY }),
    subject: undefined,
  },
  { targetingError: true, name: 'a boolean', context: () => ({ targetingKey: true }), subject: undefined },
  { name: 'null', context: () => ({ targetingKey: null }), subject: undefined },
  {
    targetingError: true,
    name: 'an object',
    context: () => ({ targetingKey: { id: 'user-1' } }),
    subject: undefined,
  },
  {
    targetingError: true,
    name: 'an array',
    context: () => ({ targetingKey: ['user-1'] }),
    subject: undefined,
  },
  { name: 'no targetingKey', context: () => ({ region: 'eu' }), subject: undefined },
  { name: 'an empty string', context: () => ({ targetingKey: '' }), subject: undefined },
  { name: '256 code units', context: () => ({ targetingKey: 'x'.repeat(256) }), subject: 'x'.repeat(256) },
  { name: '257 code units', context: () => ({ targetingKey: 'x'.repeat(257) }), subject: undefined },
  { name: 'one MiB', context: () => ({ targetingKey: 'x'.repeat(1 << 20) }), subject: undefined },
  { name: 'a lone high surrogate', context: () => ({ targetingKey: '\uD800' }), subject: undefined },
  { name: 'another lone high surrogate', context: () => ({ targetingKey: '\uD801' }), subject: undefined },
  { name: 'a lone low surrogate inside', context: () => ({ targetingKey: 'a\uDC00b' }), subject: undefined },
  { name: 'an emoji (a surrogate pair)', context: () => ({ targetingKey: '😀' }), subject: '😀' },
  { name: 'a newline', context: () => ({ targetingKey: 'line\nbreak' }), subject: 'line\nbreak' },
  { name: 'an ANSI escape', context: () => ({ targetingKey: '\u001b[31mred' }), subject: '\u001b[31mred' },
  { name: 'the string "__proto__"', context: () => ({ targetingKey: '__proto__' }), subject: '__proto__' },
  {
    name: 'the string "constructor"',
    context: () => ({ targetingKey: 'constructor' }),
    subject: 'constructor',
  },
  { name: 'the string "toString"', context: () => ({ targetingKey: 'toString' }), subject: 'toString' },
  {
    name: 'an own "__proto__" key holding a targetingKey (JSON)',
    context: json('{"__proto__":{"targetingKey":"victim"}}'),
    subject: undefined,
  },
  {
    name: 'an own "__proto__" key beside a real targetingKey (JSON)',
    context: json('{"__proto__":{"targetingKey":"victim"},"targetingKey":"me"}'),
    subject: 'me',
  },
  {
    name: 'an inherited targetingKey',
    context: () => Object.create({ targetingKey: 'victim' }) as Record<string, unknown>,
    subject: undefined,
  },
  {
    name: 'a "constructor" key holding a targetingKey (JSON)',
    context: json('{"constructor":{"targetingKey":"victim"}}'),
    subject: undefined,
  },
];
