import { MACHINE_ID_PATTERN } from './machine-schema.js';

/**
 * One string for a (machine, subject) pair, for stores keyed by strings, e.g.
 * `flagstate:checkout:user-42`. Machine ids cannot contain `:` (they match
 * `MACHINE_ID_PATTERN`), so the first `:` after the prefix always ends the machine id and no
 * two distinct pairs share a key, whatever the subject holds.
 */
export function stateKey(machine: string, subject: string, prefix = ''): string {
  if (!MACHINE_ID_PATTERN.test(machine)) throw new TypeError(`invalid machine id ${JSON.stringify(machine)}`);
  return `${prefix}${machine}:${subject}`;
}

/** The inverse of `stateKey`. */
export function parseStateKey(key: string, prefix = ''): { machine: string; subject: string } {
  const rest = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  const colon = rest.indexOf(':');
  if (colon <= 0) throw new TypeError(`not a state key: ${JSON.stringify(key)}`);
  return { machine: rest.slice(0, colon), subject: rest.slice(colon + 1) };
}
