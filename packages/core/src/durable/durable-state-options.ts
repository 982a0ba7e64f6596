import type { AuditLogOptions, AuditSink } from '@flagstate/audit';

export interface DurableStateOptions extends Omit<AuditLogOptions, 'sinks' | 'durability' | 'stream'> {
  /**
   * The directory of the audit files (`audit.ndjson`, rotated to `audit.ndjson.1`, `.2`…) and
   * of the state snapshot (`state.snapshot`), created if missing. One process per directory.
   */
  readonly dir: string;
  /**
   * `batched`: records are written off the evaluation path, a crash can lose the last batch
   * (docs/durability.md gives the measured bound); `strict`: a state change's record is
   * written and fsync'ed before its evaluation returns.
   * @default "batched"
   */
  readonly durability?: 'batched' | 'strict';
  /** Audit file size before rotation. @default 67_108_864 (64 MiB) */
  readonly maxBytes?: number;
  /**
   * Subjects kept per machine. Known subjects are never forgotten: a full machine refuses new
   * subjects instead (counted, warned about; they are served untracked).
   * @default 1_000_000
   */
  readonly maxSubjects?: number;
  /** Write a state snapshot after this many audit records, so that a restart replays at most this many. @default 100_000 */
  readonly snapshotEvery?: number;
  /** More sinks beside the audit file, e.g. `stdoutSink()` for a log shipper. @default [] */
  readonly sinks?: readonly AuditSink[];
}
