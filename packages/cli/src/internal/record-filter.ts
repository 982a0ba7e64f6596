import type { AuditRecord } from '@flagstate/core';

export interface RecordFilterOptions {
  /** `state_change.machine` is one of these. */
  readonly machine?: readonly string[] | undefined;
  /** `state_change.subject` is one of these. */
  readonly subject?: readonly string[] | undefined;
  /** `event.action` is one of these, written in full or short (`illegal`, `held`, `checkpoint`). */
  readonly action?: readonly string[] | undefined;
}

/**
 * A predicate over records: every given filter must match (they combine), and a filter given
 * several times matches any of its values.
 */
export function createRecordFilter(options: RecordFilterOptions): (record: AuditRecord) => boolean {
  const machines = toSet(options.machine);
  const subjects = toSet(options.subject);
  const actions = toSet(options.action?.flatMap(longForms));
  if (!machines && !subjects && !actions) return () => true;
  return (record) =>
    (!machines || machines.has(record.state_change?.machine ?? '')) &&
    (!subjects || subjects.has(record.state_change?.subject ?? '')) &&
    (!actions || actions.has(record.event?.action ?? ''));
}

function toSet(values: readonly string[] | undefined): ReadonlySet<string> | undefined {
  return values === undefined || values.length === 0 ? undefined : new Set(values);
}

/** `illegal` stands for `state-transition-illegal`, `checkpoint` for `audit-checkpoint`, and so on. */
function longForms(action: string): string[] {
  return [action, `state-${action}`, `state-transition-${action}`, `audit-${action}`];
}
