// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const ESCAPED_CONTROL = /\\u00[01]|\\u007f|\\[bfnrt]|\\u2028|\\u2029|[\u007f-\u009f\u2028\u2029]/;

/**
 * Text from a record made safe for a terminal: control characters (which could move the
 * cursor, recolour or retitle it) are shown as `\u001b`-style escapes.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Parses a JSON line; when it holds control characters, every string of it is made printable. */
export function parsePrintable(line: string): unknown {
  return ESCAPED_CONTROL.test(line)
    ? JSON.parse(line, (_key, value) => (typeof value === 'string' ? printable(value) : value))
    : JSON.parse(line);
}
