import type { DefinitionIssue } from '@flagstate/core';
import { createScanner } from 'jsonc-parser';
import { jsonKeyIssues } from './json-key-issues.js';
import { JsonToken } from './json-tokens.js';
import { type ParsedText, parseYaml } from './parse-yaml.js';
import { describePosition, positionAt } from './text-position.js';

export type { ParsedText } from './parse-yaml.js';

/**
 * Parses a JSON or YAML document; JSON is tried when the text looks like JSON, so that its
 * errors read as JSON errors. `JSON.parse` gives the value (it is fast, and exact); what it
 * lets through silently, repeated keys and excessive nesting, is found by a scan of the text.
 */
export function parseText(source: string, maxDepth: number): ParsedText {
  // A byte-order mark is not content (editors hide it): without it, columns match theirs.
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return parseYaml(text, maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // YAML's flow style also starts with "{": report JSON's error only if YAML fails too.
    const yaml = parseYaml(text, maxDepth);
    return 'value' in yaml ? yaml : { issues: [jsonSyntaxIssue(text, error as Error)] };
  }
  const issues = jsonKeyIssues(text, maxDepth);
  return issues.length > 0 ? { issues } : { value };
}

/** V8's message, with its character offset turned into a line and column. */
function jsonSyntaxIssue(text: string, error: Error): DefinitionIssue {
  const offset = /at position (\d+)/.exec(error.message)?.[1];
  const what = error.message
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/, ".*" is not valid JSON$/s, '');
  const at = positionAt(text, offset === undefined ? firstBadToken(text) : Number(offset));
  return { path: '(document)', message: `not valid JSON at ${describePosition(at)}: ${what}`, ...at };
}

/** Where a message without an offset ("Unexpected token 'x'…") points: the first token the scanner cannot read, else the end. */
function firstBadToken(text: string): number {
  const scanner = createScanner(text, true);
  for (let kind = scanner.scan(); kind !== JsonToken.eof; kind = scanner.scan()) {
    if (kind === JsonToken.unknown || scanner.getTokenError() !== JsonToken.noError)
      return scanner.getTokenOffset();
  }
  return text.length;
}
