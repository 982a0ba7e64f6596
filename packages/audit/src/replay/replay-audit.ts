import type { AuditInput } from '../verify/audit-verifier.js';
import { AuditReplayer } from './audit-replayer.js';
import type { ReplayReport } from './replay-report.js';

export type { ReplayConflict, ReplayedState, ReplayReport } from './replay-report.js';

/**
 * Rebuilds the state of every (machine, subject) from audit records from any number of files
 * and streams, in any order: the report is the same whatever the order.
 *
 * - A subject's state is its record with the highest `subject_version`.
 * - Two different records (different `event.id`) that claim one version are a `conflict`
 *   (two replicas with their own stores, say). The later `@timestamp` wins, and at the same
 *   time the larger `event.id`; the conflict names the winner and the others. The winner is
 *   the version the next one builds on, so at the highest version it is the state.
 * - A version missing below the highest is a `gap`.
 * - The same record read twice (one file given twice) is neither: it is known by its place in
 *   its chain (`audit.stream`, `event.sequence`) and its `event.id`, or by its `event.id` alone
 *   when it has no place. Two records with different ids at one place (another writer that
 *   reused the stream's id) are a conflict.
 *
 * Memory grows with subjects and streams, not records. When some version is claimed twice,
 * or some place read twice, the input is read again (up to twice more) to tell the records
 * apart and name them: pass something that can be iterated again (an array,
 * `readAuditLines(paths)`); a one-shot iterator is read into memory first.
 */
export function replayAudit(input: Iterable<AuditInput>): ReplayReport {
  const source = iteratesAgain(input) ? input : Array.from(input);
  const replayer = new AuditReplayer();
  for (const item of source) replayer.add(item);
  while (replayer.nextPass()) for (const item of source) replayer.recheck(item);
  return replayer.report();
}

/** Whether iterating `input` starts over (an array, a Set, a reader) rather than resuming (a generator). */
function iteratesAgain(input: Iterable<unknown>): boolean {
  return (input[Symbol.iterator]() as unknown) !== input;
}
