import type { AuditRecord } from '@flagstate/audit';
import { ACTION_SHAPES } from '@flagstate/audit/internal';
import { InvalidArgumentError } from 'commander';

export interface RecordFilterOptions {
  /** `state_change.machine` (or, for a suspension record, `audit.suspension.machine`) is one of these. */
  readonly machine?: readonly string[] | undefined;
  /** `state_change.subject` is one of these. */
  readonly subject?: readonly string[] | undefined;
  /** `event.action` is one of these, written in full or short (`illegal`, `held`, `checkpoint`). */
  readonly action?: readonly string[] | undefined;
}

/** The filter of no filter: told apart by readers that then need nothing of the record. */
export const MATCH_ALL = (_record: AuditRecord) => true;

/**
 * A predicate over records: every given filter must match (they combine), and a filter given
 * several times matches any of its values; MATCH_ALL when none is given.
 */
export function createRecordFilter(options: RecordFilterOptions): (record: AuditRecord) => boolean {
  const machines = toSet(options.machine);
  const subjects = toSet(options.subject);
  const actions = toSet(options.action?.flatMap(longForms));
  if (!machines && !subjects && !actions) return MATCH_ALL;
  return (record) =>
    (!machines || machines.has(machineOf(record) ?? '')) &&
    (!subjects || subjects.has(record.state_change?.subject ?? '')) &&
    (!actions || actions.has(record.event?.action ?? ''));
}

/** The machine a record is of: its state change's, or the one whose enforcement it reports suspended. */
export function machineOf(record: AuditRecord): string | undefined {
  return record.state_change?.machine ?? record.audit?.suspension?.machine;
}

function toSet(values: readonly string[] | undefined): ReadonlySet<string> | undefined {
  return values === undefined || values.length === 0 ? undefined : new Set(values);
}

const PREFIXES = ['state-transition-', 'state-', 'audit-', 'enforcement-'];

/** `illegal` stands for `state-transition-illegal`, `checkpoint` for `audit-checkpoint`, and so on. */
function longForms(action: string): string[] {
  return [action, ...PREFIXES.map((prefix) => prefix + action)];
}

/** Every action a record can have, with the short forms `--action` takes for it, e.g. `illegal` and `transition-illegal`. */
export const ACTIONS: readonly { readonly action: string; readonly short: readonly string[] }[] = Object.keys(
  ACTION_SHAPES,
).map((action) => ({
  action,
  short: PREFIXES.filter((prefix) => action.startsWith(prefix) && action.length > prefix.length).map(
    (prefix) => action.slice(prefix.length),
  ),
}));

/** What `--action` accepts: each action in full, then its short forms. */
export const ACTION_CHOICES: readonly string[] = ACTIONS.flatMap(({ action, short }) => [action, ...short]);

/**
 * Commander parser for a repeatable `--action`: an unknown value is a usage error (exit 2) that
 * lists the valid ones, and suggests the nearest when there is one, so that a typo such as
 * `ilegal` is not taken for a filter that matches nothing.
 */
export function parseAction(value: string, previous: string[] | undefined): string[] {
  if (!ACTION_CHOICES.includes(value)) {
    const near = nearest(value, ACTION_CHOICES);
    const valid = ACTIONS.map(({ action, short }) =>
      short.length === 0 ? action : `${action} (${short.join(', ')})`,
    ).join(', ');
    throw new InvalidArgumentError(
      `${near === undefined ? '' : `Did you mean "${near}"? `}It must be one of: ${valid}.`,
    );
  }
  return [...(previous ?? []), value];
}

/** The choice within two edits of `value`, the closest first; undefined when none is that close. */
function nearest(value: string, choices: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const choice of choices) {
    const d = distance(value, choice);
    if (d < bestDistance) [best, bestDistance] = [choice, d];
  }
  return best;
}

/** Levenshtein distance, with one row of memory. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return Number.POSITIVE_INFINITY;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}
