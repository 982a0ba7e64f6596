import { describeValue, formatPath } from '@flagstate/audit/internal';
import type { z } from 'zod';
import type { DefinitionIssue } from '../definition-issue.js';

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  record: 'an object',
};

function plural(n: number, one: string): string {
  return n === 1 ? `1 ${one}` : `${n} ${one}s`;
}

/**
 * Per-parse zod error map: turns zod's codes into sentences a person understands.
 * Messages set on a schema itself take precedence over these.
 */
export const zodErrorMap: z.core.$ZodErrorMap = (iss) => {
  const got = describeValue(iss.input);
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined)
        return `is required (expected ${TYPE_NAMES[iss.expected] ?? iss.expected})`;
      return `expected ${TYPE_NAMES[iss.expected] ?? iss.expected}, got ${got}`;
    case 'invalid_value':
      return `expected ${iss.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${got}`;
    case 'too_small':
      if (iss.origin === 'string') return 'must not be empty';
      if (iss.origin === 'array') return `must have at least ${plural(Number(iss.minimum), 'item')}`;
      return `must be ${iss.inclusive ? 'at least' : 'greater than'} ${iss.minimum}, got ${got}`;
    case 'too_big':
      if (iss.origin === 'string') return `must be at most ${plural(Number(iss.maximum), 'character')} long`;
      if (iss.origin === 'array') return `must have at most ${plural(Number(iss.maximum), 'item')}`;
      if (Number(iss.maximum) === Number.MAX_SAFE_INTEGER) {
        return `${got} is too large to be represented exactly; use a smaller integer`;
      }
      return `must be ${iss.inclusive ? 'at most' : 'less than'} ${iss.maximum}, got ${got}`;
    case 'not_multiple_of':
      return `must be a multiple of ${iss.divisor}, got ${got}`;
    case 'invalid_format':
      return `${got} does not match ${iss.pattern ?? iss.format}`;
    case 'invalid_union':
      return `${got} is not one of the allowed forms`;
    case 'unrecognized_keys':
    case 'invalid_key':
    case 'invalid_element':
      // Worded by the schema or by `toDefinitionIssues`.
      return undefined;
    default:
      return `${got} is not valid here`;
  }
};

/** Flattens a zod error into our issues: one per problem, unknown keys one per key. */
export function toDefinitionIssues(
  error: z.ZodError,
  prefix: readonly PropertyKey[] = [],
): DefinitionIssue[] {
  const out: DefinitionIssue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    const inner = issue.code === 'invalid_union' ? matchedForm(issue.errors) : undefined;
    if (inner !== undefined) {
      out.push(...toDefinitionIssues({ issues: inner } as z.ZodError, path));
    } else if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ path: formatPath([...path, key]), message: `unknown key "${key}" (${issue.message})` });
      }
    } else if (issue.code === 'invalid_key') {
      const inner = issue.issues[0]?.message ?? 'invalid key';
      out.push({ path: formatPath(path), message: inner });
    } else {
      out.push({ path: formatPath(path), message: issue.message });
    }
  }
  return out;
}

/**
 * The issues of the one form of a union that the value has the shape of (its problems lie
 * inside it), so that they are reported at their own paths; `undefined` when none or several.
 */
function matchedForm(forms: readonly (readonly z.core.$ZodIssue[])[]): z.core.$ZodIssue[] | undefined {
  const inside = forms.filter((issues) => issues.length > 0 && issues.every((i) => i.path.length > 0));
  return inside.length === 1 ? [...inside[0]!] : undefined;
}
