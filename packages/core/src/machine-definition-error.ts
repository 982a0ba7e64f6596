/** One problem in a machine document. */
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
 * `MACHINE_DOCUMENT_NOT_DATA`: the document is not JSON data that every tool reads alike (too
 * deep, a cycle, a function, a `"__proto__"` key…), so nothing else was checked.
 * `MACHINE_DEFINITION_INVALID`: the machines themselves are wrong.
 */
export type MachineDefinitionErrorCode = 'MACHINE_DEFINITION_INVALID' | 'MACHINE_DOCUMENT_NOT_DATA';

/** Thrown by `parseMachines` with every problem found, never only the first. */
export class MachineDefinitionError extends Error {
  readonly code: MachineDefinitionErrorCode;
  readonly issues: readonly DefinitionIssue[];

  constructor(
    issues: readonly DefinitionIssue[],
    source?: string,
    code: MachineDefinitionErrorCode = 'MACHINE_DEFINITION_INVALID',
  ) {
    const where = source ? `${source}: ` : '';
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(
      `${where}invalid machine definition (${count}):\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    );
    this.name = 'MachineDefinitionError';
    this.code = code;
    this.issues = issues;
  }
}
