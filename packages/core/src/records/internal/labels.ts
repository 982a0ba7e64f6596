import { wellFormed } from '@flagstate/audit/internal';
import { readContextPath } from '../../engine/context-path.js';

const MAX_LABELS = 32;
const MAX_VALUE_BYTES = 1024;

/** Cuts a well-formed string to at most `max` UTF-8 bytes without splitting a character. */
function truncateUtf8(value: string, max: number): string {
  if (Buffer.byteLength(value) <= max) return value;
  let out = '';
  let bytes = 0;
  for (const char of value) {
    const size = Buffer.byteLength(char);
    if (bytes + size > max) break;
    out += char;
    bytes += size;
  }
  return out;
}

/**
 * Copies allow-listed context attributes into ECS `labels`: string values only (numbers and
 * booleans as strings), at most 32 labels and 1 KiB per value, `.` in keys replaced by `_`.
 */
export function createLabelPicker(
  allow: readonly string[],
): (context: Readonly<Record<string, unknown>> | undefined) => Record<string, string> | undefined {
  if (allow.length > MAX_LABELS) {
    throw new TypeError(`labels: at most ${MAX_LABELS} context attributes, got ${allow.length}`);
  }
  const fields = allow.map((path) => ({ key: path.replaceAll('.', '_'), path: path.split('.') }));
  if (fields.length === 0) return () => undefined;
  return (context) => {
    if (context === undefined) return undefined;
    let labels: Record<string, string> | undefined;
    for (const { key, path } of fields) {
      const value = readContextPath(context, path);
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
      labels ??= {};
      labels[key] = truncateUtf8(wellFormed(String(value)), MAX_VALUE_BYTES);
    }
    return labels;
  };
}
