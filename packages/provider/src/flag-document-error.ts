import { type DefinitionIssue, describeIssues, FlagstateError } from '@flagstate/core';

/** A flag document that cannot be served, with every problem found and where it is. */
export class FlagDocumentError extends FlagstateError {
  readonly code = 'FLAG_DOCUMENT_INVALID';
  readonly source: string;
  readonly issues: readonly DefinitionIssue[];

  constructor(source: string, issues: readonly DefinitionIssue[]) {
    super(describeIssues(source, 'flag document', issues));
    this.source = source;
    this.issues = issues;
  }
}
