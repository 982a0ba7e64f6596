import type { DefinitionIssue } from '@flagstate/core';
import { Composer, type Document, LineCounter, Parser } from 'yaml';
import { describePosition } from './text-position.js';
import { yamlDepthIssue } from './yaml-depth-issue.js';
import { yamlDuplicateKeyIssues } from './yaml-duplicate-keys.js';

/** A parsed text: its value, or why it has none. */
export type ParsedText = { readonly value: unknown } | { readonly issues: readonly DefinitionIssue[] };

/**
 * Parses a YAML document as `yaml.parse` does (YAML 1.2, core schema, its alias limit), in
 * steps, so that nesting is bounded before the recursive composer runs and repeated keys are
 * named by path.
 */
export function parseYaml(text: string, maxDepth: number): ParsedText {
  const lines = new LineCounter();
  const tokens = [...new Parser(lines.addNewLine).parse(text)];
  const deep = yamlDepthIssue(tokens, maxDepth, lines);
  if (deep) return { issues: [deep] };

  const documents = new Composer().compose(tokens, true, text.length);
  const doc = documents.next().value as Document.Parsed;
  const another = documents.next().value as Document.Parsed | undefined;
  const syntax = (offset: number, why: string): ParsedText => {
    const { line, col } = lines.linePos(offset);
    const at = { line, column: col };
    return {
      issues: [{ path: '(document)', message: `not valid YAML at ${describePosition(at)}: ${why}`, ...at }],
    };
  };
  const error = doc.errors.find((e) => e.code !== 'DUPLICATE_KEY');
  if (error) return syntax(error.pos[0], error.message);
  if (another)
    return syntax(another.range[0], 'a flag document is one YAML document, and another starts here');
  const duplicates = yamlDuplicateKeyIssues(doc, lines);
  if (duplicates.length > 0) return { issues: duplicates };
  // Repeated keys that the walk above does not name (none are known): still refused.
  if (doc.errors[0]) return syntax(doc.errors[0].pos[0], doc.errors[0].message);
  try {
    return { value: doc.toJS() };
  } catch (error) {
    // An alias bomb: yaml's own bound on alias expansion stops it.
    const why = (error as Error).message;
    return {
      issues: [
        {
          path: '(document)',
          message: `not valid YAML: its aliases expand too far (maxAliasCount 100): ${why}`,
        },
      ],
    };
  }
}
