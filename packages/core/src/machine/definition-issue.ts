/** One problem in a machine or flag document. */
export interface DefinitionIssue {
  /** Where the problem is, e.g. `machines.checkout.transitions[2].to`. */
  readonly path: string;
  /** What is wrong, as a sentence, e.g. `unknown state "v3" (states: legacy, canary, v2)`. */
  readonly message: string;
  /** Where in the text (1-based), when the problem was found while reading the text itself. */
  readonly line?: number;
  readonly column?: number;
}

/**
 * The message of a document error: where, what kind of document, how many problems, then one
 * indented line per problem with its path. One builder, so that every document error reads alike.
 */
export function describeIssues(
  source: string | undefined,
  what: string,
  issues: readonly DefinitionIssue[],
): string {
  const where = source ? `${source}: ` : '';
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return `${where}invalid ${what} (${count}):\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`;
}
