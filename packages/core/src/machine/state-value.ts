import { canonicalJson } from '@flagstate/audit/internal';

/**
 * Turns a resolved flag value into a state name, for machines with `stateFrom: value`.
 * Strings are used as they are; numbers, booleans and null as JSON; objects and arrays as
 * RFC 8785 canonical JSON, so that equal values always give the same state.
 */
export function stateFromValue(value: unknown): string {
  if (typeof value === 'string') return value;
  return canonicalJson(value) ?? String(value);
}
