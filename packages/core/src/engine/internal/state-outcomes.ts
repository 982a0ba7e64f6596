import type { Machine } from '../../machine/machine.js';
import type { StateRecord } from '../../store/state-record.js';
import { OUTCOME_ACTIONS, type OutcomeKind, type OutcomeReason, type StateOutcome } from '../outcome.js';
import type { Decision } from './decide.js';

/** One write attempt of an observation: the decision, and the record it started from. */
export interface Attempt {
  readonly machine: Machine;
  readonly subject: string;
  /** The observation time. */
  readonly at: number;
  /** The stored record the decision was taken on; `undefined` for a subject never seen. */
  readonly previous: StateRecord | undefined;
  readonly decision: Decision;
  /** The outcome of the observation's attempt before this one, if any. */
  readonly prior: StateOutcome | undefined;
}

/** The outcome of a decision the store took: what an audit record will need of it. */
export function applied(attempt: Attempt): StateOutcome {
  const { record, kind, reason } = attempt.decision;
  return outcome(attempt, {
    kind,
    subjectVersion: record.version,
    machineVersion: record.machineVersion,
    reason,
    record,
  });
}

/** The outcome of a compare-and-set lost to `actual`, written meanwhile by someone else. */
export function lost(attempt: Attempt, actual: StateRecord | undefined, exhausted: boolean): StateOutcome {
  return outcome(attempt, {
    kind: 'race',
    subjectVersion: actual?.version ?? 0,
    machineVersion: attempt.machine.version,
    reason: exhausted ? 'retries_exhausted' : 'lost_compare_and_set',
    record: undefined,
  });
}

/** How an attempt ended: the kind, the versions it reports, why, and the record written. */
interface Ending {
  readonly kind: OutcomeKind;
  /** The version written; for a race, the version that won. */
  readonly subjectVersion: number;
  readonly machineVersion: number;
  readonly reason: OutcomeReason | undefined;
  /** The record written; `undefined` for a race. */
  readonly record: StateRecord | undefined;
}

/** The move of `attempt`, ended as `ending`, as an outcome. */
function outcome(attempt: Attempt, ending: Ending): StateOutcome {
  const { machine, subject, at, previous, decision, prior } = attempt;
  const previousEnteredAt = previous?.enteredAt;
  return {
    kind: ending.kind,
    action: OUTCOME_ACTIONS[ending.kind],
    machine,
    subject,
    from: previous?.state,
    to: decision.record.state,
    transition: decision.transition?.name,
    subjectVersion: ending.subjectVersion,
    machineVersion: ending.machineVersion,
    at,
    previousEnteredAt,
    dwellMs: previousEnteredAt === undefined ? undefined : Math.max(0, at - previousEnteredAt),
    pending: decision.record.pending,
    reason: ending.reason,
    record: ending.record,
    prior,
    judgedFrom: decision.judgedFrom,
  };
}
