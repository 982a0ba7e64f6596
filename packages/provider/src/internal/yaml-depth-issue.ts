import type { DefinitionIssue } from '@flagstate/core';
import { CST, type LineCounter } from 'yaml';
import { tooDeepIssue } from './structure-issues.js';

interface Node {
  readonly token: CST.Token;
  readonly depth: number;
  readonly parent: Node | undefined;
  readonly segment: string | number | undefined;
}

const pathOf = (node: Node): Array<string | number> => {
  const segments: Array<string | number> = [];
  for (let n: Node | undefined = node; n?.segment !== undefined; n = n.parent) segments.push(n.segment);
  return segments.reverse();
};

/** A mapping key as the path names it; a key that is itself a collection has no plain name. */
function keyName(key: CST.Token | null | undefined): string {
  if (!key || CST.isCollection(key)) return '?';
  const scalar = CST.resolveAsScalar(key as Parameters<typeof CST.resolveAsScalar>[0]);
  return scalar ? scalar.value : '?';
}

/**
 * The first collection nested deeper than `maxDepth` in YAML's syntax tree, which its parser
 * builds without recursion; its composer recurses, and past a few hundred levels the stack
 * overflows (and V8 can abort the process outright). So this runs first, on an explicit stack.
 */
export function yamlDepthIssue(
  tokens: readonly CST.Token[],
  maxDepth: number,
  lines: LineCounter,
): DefinitionIssue | undefined {
  const stack: Node[] = tokens.map((token) => ({ token, depth: 0, parent: undefined, segment: undefined }));
  stack.reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { token } = node;
    if (token.type === 'document') {
      if (token.value) stack.push({ ...node, token: token.value });
      continue;
    }
    if (!CST.isCollection(token)) continue;
    const depth = node.depth + 1;
    if (depth > maxDepth) {
      const at = lines.linePos(token.offset);
      return tooDeepIssue(pathOf(node), maxDepth, { line: at.line, column: at.col });
    }
    const sequence =
      token.type === 'block-seq' || (token.type === 'flow-collection' && token.start.source === '[');
    // Pushed in reverse, so that the first too-deep place in the text is the one named.
    for (let i = token.items.length - 1; i >= 0; i--) {
      const item = token.items[i]!;
      const segment = sequence ? i : keyName(item.key);
      if (item.value) stack.push({ token: item.value, depth, parent: node, segment });
      if (item.key && CST.isCollection(item.key))
        stack.push({ token: item.key, depth, parent: node, segment });
    }
  }
  return undefined;
}
