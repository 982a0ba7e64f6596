import type { AuditLog, StateAction } from '@flagstate/audit';
import { stateChangeDraft } from './state-change-draft.js';

const ACTIONS: readonly StateAction[] = [
  'state-init',
  'state-transition',
  'state-transition-illegal',
  'state-transition-held',
  'state-migration',
  'state-stale',
  'state-race',
];

/**
 * Appends one record of every state action, each with every optional field a hook may set
 * (labels, duration, trace ids, timing, pending, reason, stale), then returns the log: the
 * audit stream's view of "every record kind" (core's tests write the ones real outcomes make).
 */
export function everyRecordKind<L extends AuditLog>({ log }: { log: L }): { log: L } {
  let at = Date.UTC(2026, 0, 1);
  for (const [i, action] of ACTIONS.entries()) {
    const draft = stateChangeDraft({
      machine: 'checkout',
      subject: `user-${i}`,
      from: 'legacy',
      to: 'canary',
      subjectVersion: 2,
      at: at++,
      action,
    });
    draft.event.duration = 12_345;
    draft.trace = { id: '4bf92f3577b34da6a3ce929d0e0e4736' };
    draft.span = { id: '00f067aa0ba902b7' };
    draft.labels = { region: 'eu-west-1', tier: 'gold' };
    Object.assign(draft.state_change!, {
      transition: 'start-canary',
      previous_entered_at: new Date(at - 3_600_000).toISOString(),
      dwell_ms: 3_600_000,
      pending: 'v2',
      reason: 'min_dwell',
      stale: true,
    });
    log.append(draft);
  }
  return { log };
}
