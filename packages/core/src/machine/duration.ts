const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The string form of a duration; the schema and the parser share it. */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** A duration as written in a machine document: milliseconds, or a string such as `"30s"`. */
export type DurationInput = number | string;

/**
 * Converts `500`, `"500ms"`, `"30s"`, `"15m"`, `"1h"` or `"2d"` to milliseconds.
 * Returns `undefined` for anything else, so that callers can word their own error.
 */
export function parseDuration(input: DurationInput): number | undefined {
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0 ? input : undefined;
  }
  const match = DURATION_PATTERN.exec(input.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

// Bake times are printed in audit messages and by `flagstate tail` as well, so the formatter
// lives with the audit stream.
export { formatDuration } from '@flagstate/audit/internal';
