import { formatPath } from '../../internal/format-path.js';
import { MAX_RECORD_DEPTH, TOO_DEEP } from './record-depth.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** A key this long is cut in a message: it comes from the input. */
const MAX_SHOWN = 40;

/** An open object (its keys so far) or array (its next index), and where it sits. */
interface Frame {
  readonly keys: Set<string> | undefined;
  readonly segment: string | number | undefined;
  index: number;
  key: string | undefined;
}

/**
 * Why JSON text that `JSON.parse` accepted cannot be checked as one record: an object with a
 * duplicate key, at any depth (`JSON.parse` keeps the last value, other readers the first or
 * neither, so the hash would vouch for what some of them do not see), or nesting deeper than
 * MAX_RECORD_DEPTH. Undefined when neither. Keys are compared decoded (`"a"` and `"\u0061"`
 * are one key). Walks the text with a stack of its own, so no input overflows the real one.
 */
export function jsonTextProblem(text: string): string | undefined {
  const stack: Frame[] = [];
  let top: Frame | undefined;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (expectKey && top?.keys !== undefined) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (top.keys.has(key)) return duplicate(stack, key);
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      if (stack.length >= MAX_RECORD_DEPTH) return TOO_DEEP;
      const segment = top === undefined ? undefined : top.keys === undefined ? top.index : top.key;
      top = { keys: c === 0x7b ? new Set() : undefined, segment, index: 0, key: undefined };
      stack.push(top);
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      top = stack.at(-1);
      expectKey = false;
    } else if (c === 0x2c && top !== undefined) {
      if (top.keys === undefined) top.index++;
      else expectKey = true;
    }
  }
  return undefined;
}

/** Index of the quote that closes the string opened at `start`: the first one not escaped. */
function stringEnd(text: string, start: number): number {
  for (let end = text.indexOf('"', start + 1); end >= 0; end = text.indexOf('"', end + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
  }
  return text.length;
}

function duplicate(stack: readonly Frame[], key: string): string {
  const path = stack.slice(1).map((f) => (typeof f.segment === 'string' ? cut(f.segment) : f.segment!));
  const where = path.length === 0 ? '' : ` in ${formatPath(path)}`;
  return `duplicate key ${JSON.stringify(cut(key))}${where} (readers differ on which of its values counts)`;
}

const cut = (key: string) => (key.length > MAX_SHOWN ? `${key.slice(0, MAX_SHOWN)}…` : key);
