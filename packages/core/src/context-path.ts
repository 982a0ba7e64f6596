/**
 * Reads an attribute path (`targetingKey`, `user.id`) out of an evaluation context without
 * building anything, for the subject and for labels.
 */
export function readContextPath(
  context: Readonly<Record<string, unknown>>,
  path: readonly string[],
): unknown {
  let at: unknown = context;
  for (let i = 0; i < path.length; i++) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[path[i]!];
  }
  return at;
}

/** The subject at a machine's `subject` path: only a non-empty string is a subject. */
export function readSubject(
  context: Readonly<Record<string, unknown>>,
  machine: { readonly subjectPath: readonly string[] },
): string | undefined {
  const value = readContextPath(context, machine.subjectPath);
  return typeof value === 'string' && value !== '' ? value : undefined;
}
