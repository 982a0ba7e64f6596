import { type AuditRecordDraft, ECS_VERSION, type StateAction } from '@flagstate/audit';
import { ACTION_SHAPES } from '@flagstate/audit/internal';

export interface StateChange {
  readonly machine: string;
  readonly subject: string;
  readonly from?: string;
  readonly to: string;
  readonly subjectVersion: number;
  /** Epoch ms of the observation. */
  readonly at: number;
  readonly action?: StateAction;
}

let ids = 0;

/**
 * The record a hook writes for one state change, built directly: the audit stream's tests need
 * realistic records, not the engine that decides them (core's tests cover records made from
 * real outcomes).
 */
export function stateChangeDraft(change: StateChange): AuditRecordDraft {
  const action = change.action ?? (change.from === undefined ? 'state-init' : 'state-transition');
  const shape = ACTION_SHAPES[action];
  const at = new Date(change.at).toISOString();
  const move = change.from === undefined ? change.to : `${change.from} -> ${change.to}`;
  return {
    '@timestamp': at,
    ecs: { version: ECS_VERSION },
    message: `${change.machine}: ${change.subject} ${move}`,
    log: { level: shape.level },
    event: {
      kind: 'event',
      category: ['configuration'],
      type: [shape.type],
      action,
      outcome: shape.outcome,
      reason: 'targeting_match',
      id: `0190a000-0000-7000-8000-${(++ids).toString(16).padStart(12, '0')}`,
      dataset: 'flagstate.audit',
      provider: 'flagstate',
    },
    feature_flag: {
      key: change.machine,
      result: { variant: change.to, reason: 'targeting_match' },
      context: { id: change.subject },
    },
    state_change: {
      machine: change.machine,
      machine_version: 1,
      subject: change.subject,
      ...(change.from === undefined ? {} : { from: change.from }),
      to: change.to,
      subject_version: change.subjectVersion,
      entered_at: at,
    },
  };
}
