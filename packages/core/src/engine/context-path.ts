const hasOwn = Object.prototype.hasOwnProperty;

/** Subjects longer than this (UTF-16 code units) are not tracked. */
export const MAX_SUBJECT_LENGTH = 256;

/**
 * Reads an attribute path (`targetingKey`, `user.id`) out of an evaluation context without
 * building anything, for the subject and for labels. Own properties only, as flagd-core's
 * targeting sees them: an inherited `targetingKey` is not the context's.
 */
export function readContextPath(
  context: Readonly<Record<string, unknown>>,
  path: readonly string[],
): unknown {
  let at: unknown = context;
  for (let i = 0; i < path.length; i++) {
    if (at === null || typeof at !== 'object' || !hasOwn.call(at, path[i]!)) return undefined;
    at = (at as Record<string, unknown>)[path[i]!];
  }
  return at;
}

/**
 * The subject at a machine's `subject` path: a non-empty, well-formed string of at most
 * `maxLength` code units, or a finite number (as its string). Anything else is no subject:
 * never truncated nor repaired, so that two different values never become one subject.
 */
export function readSubject(
  context: Readonly<Record<string, unknown>>,
  machine: { readonly subjectPath: readonly string[] },
  maxLength = MAX_SUBJECT_LENGTH,
): string | undefined {
  const value = readContextPath(context, machine.subjectPath);
  if (typeof value === 'string') {
    return value !== '' && value.length <= maxLength && value.isWellFormed() ? value : undefined;
  }
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

/** Why a context has no usable subject, for the one log line per machine that says so. */
export function describeUnusableSubject(
  context: Readonly<Record<string, unknown>>,
  machine: { readonly subjectPath: readonly string[] },
  maxLength = MAX_SUBJECT_LENGTH,
): string {
  const value = readContextPath(context, machine.subjectPath);
  if (value === undefined) return 'nothing there';
  if (typeof value !== 'string') return value === null ? 'null' : `a ${typeof value}`;
  if (value === '') return 'an empty string';
  if (value.length > maxLength) return `a string of ${value.length} code units (at most ${maxLength})`;
  return 'a string with a lone surrogate (not well-formed UTF-16)';
}
