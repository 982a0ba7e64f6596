import { FlagstateError } from '@flagstate/audit';
import { type DefinitionIssue, describeIssues } from './definition-issue.js';

/**
 * `MACHINE_DOCUMENT_NOT_DATA`: the document is not JSON data that every tool reads alike (too
 * deep, a cycle, a function, a `"__proto__"` key…), so nothing else was checked.
 * `MACHINE_DEFINITION_INVALID`: the machines themselves are wrong.
 */
export type MachineDefinitionErrorCode = 'MACHINE_DEFINITION_INVALID' | 'MACHINE_DOCUMENT_NOT_DATA';

/** Thrown by `parseMachines` with every problem found, never only the first. */
export class MachineDefinitionError extends FlagstateError {
  readonly code: MachineDefinitionErrorCode;
  readonly source: string | undefined;
  readonly issues: readonly DefinitionIssue[];

  constructor(
    source: string | undefined,
    issues: readonly DefinitionIssue[],
    code: MachineDefinitionErrorCode = 'MACHINE_DEFINITION_INVALID',
  ) {
    super(describeIssues(source, 'machine definition', issues));
    this.code = code;
    this.source = source;
    this.issues = issues;
  }
}
