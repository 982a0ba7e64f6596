import { formatPath } from '@flagstate/audit/internal';
import type { DefinitionIssue } from '../definition-issue.js';

/** Collects every problem of a document, so that the error can list them all at once. */
export class DefinitionProblems {
  readonly #issues: DefinitionIssue[] = [];

  get size(): number {
    return this.#issues.length;
  }

  add(path: readonly PropertyKey[], message: string): void {
    this.#issues.push({ path: formatPath(path), message });
  }

  addAll(issues: readonly DefinitionIssue[]): void {
    this.#issues.push(...issues);
  }

  list(): DefinitionIssue[] {
    return [...this.#issues];
  }
}
