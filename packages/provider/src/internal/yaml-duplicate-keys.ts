import type { DefinitionIssue } from '@flagstate/core';
import { type Document, isMap, isScalar, isSeq, type LineCounter, type Scalar } from 'yaml';
import { duplicateKeyIssue, MAX_LISTED } from './structure-issues.js';

interface Pending {
  readonly node: unknown;
  readonly path: ReadonlyArray<string | number>;
}

/**
 * Keys that a YAML document repeats in one mapping, named by path. Keys are compared as the
 * object keys they become, so `1` and `"1"` collide too (YAML itself only catches equal
 * scalars). Run on a document whose depth is already bounded.
 */
export function yamlDuplicateKeyIssues(doc: Document.Parsed, lines: LineCounter): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const at = (key: Scalar) => {
    const { line, col } = lines.linePos(key.range?.[0] ?? 0);
    return { line, column: col };
  };
  const stack: Pending[] = [{ node: doc.contents, path: [] }];
  while (stack.length > 0 && issues.length < MAX_LISTED) {
    const { node, path } = stack.pop()!;
    const next: Pending[] = [];
    if (isMap(node)) {
      const seen = new Map<string, Scalar>();
      for (const { key, value } of node.items) {
        if (!isScalar(key)) {
          next.push({ node: value, path: [...path, '?'] });
          continue;
        }
        const name = key.value === null ? '' : String(key.value);
        const first = seen.get(name);
        if (first) issues.push(duplicateKeyIssue([...path, name], name, at(first), at(key)));
        else seen.set(name, key);
        next.push({ node: value, path: [...path, name] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        next.push({ node: item, path: [...path, i] });
      });
    }
    // Reversed, so that duplicates are listed in the order of the text.
    stack.push(...next.reverse());
  }
  return issues;
}
