/**
 * Deepest nesting of objects and arrays an audit record may have to be checked; the record
 * itself is level 1. A record the log writes has four. The bound keeps every recursive reader
 * (canonicalization for the hash) far from the end of the stack, whatever thread it runs on, so
 * that the verdict on a record never depends on the stack's size.
 */
export const MAX_RECORD_DEPTH = 128;

export const TOO_DEEP = `nested too deeply to check (more than ${MAX_RECORD_DEPTH} levels)`;

/**
 * Whether objects and arrays nest in `value` deeper than `levels` (the value itself is level
 * 1). The recursion stops at `levels`, so it cannot overflow the stack; an object that contains
 * itself is too deep.
 */
export function nestedDeeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  const children = Array.isArray(value) ? value : Object.values(value);
  for (let i = 0; i < children.length; i++) if (nestedDeeperThan(children[i], levels - 1)) return true;
  return false;
}
