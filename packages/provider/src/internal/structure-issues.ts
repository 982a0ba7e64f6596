import type { DefinitionIssue } from '@flagstate/core';
import { issuePath } from './issue-path.js';
import { describePosition, type TextPosition } from './text-position.js';

/** Enough to show what is wrong; a hostile text could otherwise fill the message with copies. */
export const MAX_LISTED = 20;

/** A container that the text opens deeper than the limit allows. */
export function tooDeepIssue(
  path: readonly (string | number)[],
  maxDepth: number,
  at: TextPosition,
): DefinitionIssue {
  return {
    path: issuePath(path),
    message: `nested deeper than ${maxDepth} levels of objects and arrays at ${describePosition(at)}; at most ${maxDepth} are allowed (maxDepth)`,
    ...at,
  };
}

/** A key that the text repeats in one object: parsers would silently keep the last. */
export function duplicateKeyIssue(
  path: readonly (string | number)[],
  key: string,
  first: TextPosition,
  again: TextPosition,
): DefinitionIssue {
  return {
    path: issuePath(path),
    message: `duplicate key ${JSON.stringify(key)} at ${describePosition(again)} (first at ${describePosition(first)}); a key may appear only once in an object`,
    ...again,
  };
}
