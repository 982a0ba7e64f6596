import type { StateAction } from '@flagstate/audit';
import type { Machine } from '../machine/machine.js';
import type { StateRecord } from '../store/state-record.js';
import type { HeldReason } from './held-reason.js';

export type OutcomeKind = 'init' | 'transition' | 'illegal' | 'held' | 'migration' | 'stale' | 'race';

export const OUTCOME_ACTIONS: Readonly<Record<OutcomeKind, StateAction>> = Object.freeze({
  init: 'state-init',
  transition: 'state-transition',
  illegal: 'state-transition-illegal',
  held: 'state-transition-held',
  migration: 'state-migration',
  stale: 'state-stale',
  race: 'state-race',
});

/** Why an observed move is illegal. */
export type IllegalReason =
  | 'not_allowed'
  | 'final_state'
  | 'min_dwell'
  | 'unknown_state'
  | 'unreachable_from_initial';

/** Why a record is reported stale: the machine cannot judge it, or it outstayed `maxDwell`. */
export type StaleReason = 'unknown_state' | 'newer_machine_version' | 'max_dwell';

/** Why a write was lost to another writer's. */
export type RaceReason = 'lost_compare_and_set' | 'retries_exhausted';

/**
 * Why an outcome is not a plain success: an `IllegalReason`, a `StaleReason`, a `RaceReason`,
 * or for `held` the provider's `HeldReason`. Open to other strings, as OpenFeature's
 * `ResolutionReason` is, for holds another provider reports.
 */
export type OutcomeReason =
  | IllegalReason
  | StaleReason
  | RaceReason
  | HeldReason
  | (string & Record<never, never>);

/** The observation matched the stored state: nothing was written and nothing is to report. */
export interface SteadyOutcome {
  readonly kind: 'steady';
}

/** Everything an audit record needs about one write (or, for `race`, one lost write). */
export interface StateOutcome {
  readonly kind: OutcomeKind;
  readonly action: StateAction;
  readonly machine: Machine;
  readonly subject: string;
  /** The stored state before; `undefined` on a subject's first observation. */
  readonly from: string | undefined;
  /** The state after. For `race`, the state the lost write tried to store. */
  readonly to: string;
  /** The declared transition's name, when the move is a declared transition. */
  readonly transition: string | undefined;
  /** The version written. For `race`, the version that won, so race records are not writes. */
  readonly subjectVersion: number;
  readonly machineVersion: number;
  /** Epoch ms of the observation. */
  readonly at: number;
  readonly previousEnteredAt: number | undefined;
  /** Milliseconds spent in `from` so far: `at - previousEnteredAt`, never negative. */
  readonly dwellMs: number | undefined;
  /** The target the provider holds the subject back from, if any. */
  readonly pending: string | undefined;
  readonly reason: OutcomeReason | undefined;
  /** The record written; `undefined` for `race`. */
  readonly record: StateRecord | undefined;
  /** An earlier outcome of the same observation (a race lost, a migration applied), if any. */
  readonly prior: StateOutcome | undefined;
  /**
   * When `from` is not a state of the machine (a provider served something else): the last
   * state the subject was in that is, which the move was judged from.
   */
  readonly judgedFrom?: string | undefined;
}

export type Outcome = SteadyOutcome | StateOutcome;

export const STEADY: SteadyOutcome = Object.freeze({ kind: 'steady' });

/** The outcomes of one observation in the order they happened, oldest first. */
export function outcomeChain(outcome: Outcome): StateOutcome[] {
  const chain: StateOutcome[] = [];
  for (let o: StateOutcome | undefined = outcome.kind === 'steady' ? undefined : outcome; o; o = o.prior) {
    chain.unshift(o);
  }
  return chain;
}
