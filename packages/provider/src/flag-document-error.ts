import type { DefinitionIssue } from '@flagstate/core';

/** A flag document that cannot be served, with every problem found and where it is. */
export class FlagDocumentError extends Error {
  readonly code = 'FLAG_DOCUMENT_INVALID';
  readonly issues: readonly DefinitionIssue[];
  readonly source: string;

  constructor(source: string, issues: readonly DefinitionIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(
      `${source}: invalid flag document (${count}):\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    );
    this.name = 'FlagDocumentError';
    this.source = source;
    this.issues = issues;
  }
}
