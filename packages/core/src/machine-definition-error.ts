/** One problem in a machine document. */
export interface DefinitionIssue {
  /** Where the problem is, e.g. `machines.checkout.transitions[2].to`. */
  readonly path: string;
  /** What is wrong, as a sentence, e.g. `unknown state "v3" (states: legacy, canary, v2)`. */
  readonly message: string;
}

/** Thrown by `parseMachines` with every problem found, never only the first. */
export class MachineDefinitionError extends Error {
  readonly code = 'MACHINE_DEFINITION_INVALID';
  readonly issues: readonly DefinitionIssue[];

  constructor(issues: readonly DefinitionIssue[], source?: string) {
    const where = source ? `${source}: ` : '';
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(
      `${where}invalid machine definition (${count}):\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    );
    this.name = 'MachineDefinitionError';
    this.issues = issues;
  }
}
