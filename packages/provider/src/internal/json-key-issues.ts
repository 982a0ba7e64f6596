import type { DefinitionIssue } from '@flagstate/core';
import { createScanner } from 'jsonc-parser';
import { JsonToken } from './json-tokens.js';
import { duplicateKeyIssue, MAX_LISTED, tooDeepIssue } from './structure-issues.js';
import type { TextPosition } from './text-position.js';

const { openBrace, closeBrace, openBracket, closeBracket, comma, colon, string, eof } = JsonToken;

interface Container {
  /** Keys seen so far and where; undefined for an array. */
  readonly keys: Map<string, TextPosition> | undefined;
  /** Where this container sits in its parent: undefined for the document. */
  readonly segment: string | number | undefined;
  /** The current member: a key (after it is read) or an array index. */
  member: string | number | undefined;
  expectingKey: boolean;
}

/**
 * What `JSON.parse` hides in a valid JSON text: repeated keys (it keeps the last, silently)
 * and nesting deeper than `maxDepth` (its result would overflow recursive code later). One
 * pass of jsonc-parser's scanner, with the path kept on a stack: nothing here recurses.
 */
export function jsonKeyIssues(text: string, maxDepth: number): DefinitionIssue[] {
  const scanner = createScanner(text, true);
  const stack: Container[] = [];
  const issues: DefinitionIssue[] = [];
  const at = (): TextPosition => ({
    line: scanner.getTokenStartLine() + 1,
    column: scanner.getTokenStartCharacter() + 1,
  });
  const path = (): Array<string | number> => stack.slice(1).map((c) => c.segment!) as Array<string | number>;
  for (let kind = scanner.scan(); kind !== eof && issues.length < MAX_LISTED; kind = scanner.scan()) {
    const top = stack.at(-1);
    if (kind === openBrace || kind === openBracket) {
      const segment = top?.member;
      if (stack.length >= maxDepth) {
        const where = top ? [...path(), top.member!] : [];
        issues.push(tooDeepIssue(where, maxDepth, at()));
        break;
      }
      const object = kind === openBrace;
      stack.push({
        keys: object ? new Map() : undefined,
        segment,
        member: object ? undefined : 0,
        expectingKey: object,
      });
    } else if (kind === closeBrace || kind === closeBracket) {
      stack.pop();
    } else if (kind === comma && top) {
      if (top.keys === undefined) top.member = (top.member as number) + 1;
      else top.expectingKey = true;
    } else if (kind === colon && top) {
      top.expectingKey = false;
    } else if (kind === string && top?.keys && top.expectingKey) {
      const key = scanner.getTokenValue();
      const first = top.keys.get(key);
      if (first === undefined) top.keys.set(key, at());
      else issues.push(duplicateKeyIssue([...path(), key], key, first, at()));
      top.member = key;
    }
  }
  return issues;
}
