import type { Machine } from '../machine.js';
import { OUTCOME_ACTIONS, type OutcomeKind, type OutcomeReason, type StateOutcome } from '../outcome.js';
import type { StateRecord } from '../state-record.js';
import type { Decision } from './decide.js';

/** The outcome of a decision the store took: what an audit record will need of it. */
export function applied(
  machine: Machine,
  subject: string,
  at: number,
  previous: StateRecord | undefined,
  d: Decision,
  prior: StateOutcome | undefined,
): StateOutcome {
  const r = d.record;
  return outcome(d.kind, machine, subject, at, previous, d, r.version, r.machineVersion, d.reason, r, prior);
}

/** The outcome of a compare-and-set lost to `actual`, written meanwhile by someone else. */
export function lost(
  machine: Machine,
  subject: string,
  at: number,
  expected: StateRecord | undefined,
  d: Decision,
  actual: StateRecord | undefined,
  exhausted: boolean,
  prior: StateOutcome | undefined,
): StateOutcome {
  const reason = exhausted ? 'retries_exhausted' : 'lost_compare_and_set';
  return outcome(
    'race',
    machine,
    subject,
    at,
    expected,
    d,
    actual?.version ?? 0,
    machine.version,
    reason,
    undefined,
    prior,
  );
}

/** The move `d` from the record `previous`, as an outcome. */
function outcome(
  kind: OutcomeKind,
  machine: Machine,
  subject: string,
  at: number,
  previous: StateRecord | undefined,
  d: Decision,
  subjectVersion: number,
  machineVersion: number,
  reason: OutcomeReason | undefined,
  record: StateRecord | undefined,
  prior: StateOutcome | undefined,
): StateOutcome {
  const previousEnteredAt = previous?.enteredAt;
  return {
    kind,
    action: OUTCOME_ACTIONS[kind],
    machine,
    subject,
    from: previous?.state,
    to: d.record.state,
    transition: d.transition?.name,
    subjectVersion,
    machineVersion,
    at,
    previousEnteredAt,
    dwellMs: previousEnteredAt === undefined ? undefined : Math.max(0, at - previousEnteredAt),
    pending: d.record.pending,
    reason,
    record,
    prior,
  };
}
