import { formatPath } from '@flagstate/audit/internal';
import type { DefinitionIssue } from '../definition-issue.js';

/** Deepest nesting of objects and arrays a document may have; the document itself is level 1. */
export const DEFAULT_MAX_DEPTH = 128;

/** Enough to show what is wrong; a hostile document could otherwise fill the message with copies. */
const MAX_LISTED = 20;

interface Frame {
  readonly value: unknown;
  readonly parent: Frame | undefined;
  readonly segment: string | number | undefined;
  readonly depth: number;
  /** Set on the frame that closes a container, so that only ancestors count as cycles. */
  readonly leaving?: true;
}

const PROTO_MESSAGE =
  '"__proto__" cannot be a key: JavaScript reads it as the object\'s prototype, so tools drop or misapply it; rename it';

const pathOf = (frame: Frame): PropertyKey[] => {
  const segments: PropertyKey[] = [];
  for (let f: Frame | undefined = frame; f?.segment !== undefined; f = f.parent) segments.push(f.segment);
  return segments.reverse();
};

/** Says what is not JSON data, or `undefined` for a string, a finite number, a boolean, null, an array or a plain object. */
function notData(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `the number ${value}`;
    case 'object': {
      if (value === null || Array.isArray(value)) return undefined;
      const proto = Object.getPrototypeOf(value);
      return proto === Object.prototype || proto === null
        ? undefined
        : `an instance of ${proto?.constructor?.name ?? 'a class'}`;
    }
    case 'undefined':
      return 'nothing (undefined)';
    default:
      return `a ${typeof value}`;
  }
}

/**
 * What makes a document something other than JSON data that every tool reads the same way:
 * nesting deeper than `maxDepth` (which would overflow the stack of recursive code later on),
 * an object that contains itself, values JSON cannot hold, and `"__proto__"` keys, which
 * JavaScript treats as an object's prototype (schema validators drop them, assignment
 * misapplies them). Walks with an explicit stack, so that no input overflows it.
 */
export function jsonDataProblems(document: unknown, maxDepth: number = DEFAULT_MAX_DEPTH): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const add = (frame: Frame, message: string) => issues.push({ path: formatPath(pathOf(frame)), message });
  const open = new Set<object>();
  const stack: Frame[] = [{ value: document, parent: undefined, segment: undefined, depth: 1 }];
  while (stack.length > 0 && issues.length < MAX_LISTED) {
    const frame = stack.pop()!;
    const { value } = frame;
    if (frame.leaving) {
      open.delete(value as object);
      continue;
    }
    if (frame.segment === '__proto__') {
      add(frame, PROTO_MESSAGE);
      continue;
    }
    const wrong = notData(value);
    if (wrong !== undefined) {
      add(
        frame,
        `expected JSON data (an object, an array, a string, a finite number, true, false or null), got ${wrong}`,
      );
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (open.has(value)) {
      add(frame, 'refers back to an object that contains it (a cycle); expected a tree of JSON values');
      continue;
    }
    if (frame.depth > maxDepth) {
      add(
        frame,
        `nested deeper than ${maxDepth} levels of objects and arrays; at most ${maxDepth} are allowed (maxDepth)`,
      );
      break;
    }
    open.add(value);
    stack.push({ ...frame, leaving: true });
    const entries: Array<[string | number, unknown]> = Array.isArray(value)
      ? Array.from(value, (item, i) => [i, item])
      : // A property set to undefined is absent, as JSON.stringify and the schema read it.
        Object.entries(value).filter(([, child]) => child !== undefined);
    // Pushed in reverse, so that problems are found (and listed) in document order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [segment, child] = entries[i]!;
      stack.push({ value: child, parent: frame, segment, depth: frame.depth + 1 });
    }
  }
  return issues;
}
