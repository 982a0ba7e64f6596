import { type AuditLogOptions, createAuditLog, memorySink } from '@flagstate/audit';
import { stateChangeDraft } from './state-change-draft.js';

/**
 * A closed audit stream of `subjects` inits (`legacy`) and transitions (`legacy -> canary`), as
 * NDJSON lines, with a checkpoint every 5 records.
 */
export async function auditLines(subjects = 12, options: AuditLogOptions = {}): Promise<string[]> {
  const sink = memorySink();
  const log = createAuditLog({ sinks: [sink], checkpointEvery: 5, ...options });
  let at = Date.UTC(2026, 0, 1);
  for (let i = 0; i < subjects; i++) {
    const subject = `user-${i}`;
    log.append(stateChangeDraft({ machine: 'checkout', subject, to: 'legacy', subjectVersion: 1, at: at++ }));
    log.append(
      stateChangeDraft({
        machine: 'checkout',
        subject,
        from: 'legacy',
        to: 'canary',
        subjectVersion: 2,
        at: at++,
      }),
    );
  }
  await log.close();
  return [...sink.lines];
}
