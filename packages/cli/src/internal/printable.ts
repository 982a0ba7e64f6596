/**
 * What a terminal must not be given as it is: C0 and C1 control characters (which move the
 * cursor, recolour or retitle it), the Unicode line and paragraph separators, the bidirectional
 * formatting characters (which reorder what is shown after them), and lone surrogates (which
 * become U+FFFD on output, so that two different subjects would print the same).
 */
const UNPRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/**
 * A line that may hold any of them once parsed: one with such a character as it is, or with an
 * escape (`\u`, or a control's: a backslash of any kind, to keep this one character class,
 * which is tested at twice the speed of the alternatives). JSON.stringify escapes only quotes,
 * backslashes, control characters and lone surrogates, so the lines the audit log writes take
 * the fast path unless they need this one.
 */
const MAY_BE_UNPRINTABLE = /[\\\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * Text from a record made safe for a terminal: what `UNPRINTABLE` finds is shown as a
 * `\u001b`-style escape.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Parses a JSON line; when it may hold what a terminal must not be given, every string of it is
 * made printable. Of the characters `MAY_BE_UNPRINTABLE` finds, an `ascii` line can hold only
 * the backslash and DEL, which two searches find in a tenth of the time the class takes.
 */
export function parsePrintable(line: string, ascii = false): unknown {
  const may = ascii ? line.includes('\\') || line.includes('\x7f') : MAY_BE_UNPRINTABLE.test(line);
  return may
    ? JSON.parse(line, (_key, value) => (typeof value === 'string' ? printable(value) : value))
    : JSON.parse(line);
}
