import type { Machine } from '../machine.js';
import { OUTCOME_ACTIONS, type StateOutcome } from '../outcome.js';
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
  const previousEnteredAt = previous?.enteredAt;
  return {
    kind: d.kind,
    action: OUTCOME_ACTIONS[d.kind],
    machine,
    subject,
    from: previous?.state,
    to: d.record.state,
    transition: d.transition?.name,
    subjectVersion: d.record.version,
    machineVersion: d.record.machineVersion,
    at,
    previousEnteredAt,
    dwellMs: previousEnteredAt === undefined ? undefined : Math.max(0, at - previousEnteredAt),
    pending: d.record.pending,
    reason: d.reason,
    record: d.record,
    prior,
  };
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
  const previousEnteredAt = expected?.enteredAt;
  return {
    kind: 'race',
    action: OUTCOME_ACTIONS.race,
    machine,
    subject,
    from: expected?.state,
    to: d.record.state,
    transition: d.transition?.name,
    subjectVersion: actual?.version ?? 0,
    machineVersion: machine.version,
    at,
    previousEnteredAt,
    dwellMs: previousEnteredAt === undefined ? undefined : Math.max(0, at - previousEnteredAt),
    pending: d.record.pending,
    reason: exhausted ? 'retries_exhausted' : 'lost_compare_and_set',
    record: undefined,
    prior,
  };
}
