import type { ResumePoint } from './resume-point.js';

/**
 * Where the audit log writes NDJSON. The log batches lines and calls `write` off the
 * evaluation path; it calls `writeSync` when a sink's queue is full and at process exit.
 */
export interface AuditSink {
  readonly name: string;
  /**
   * Writes whole lines. A promise (a stream's callback) makes the log wait before the next
   * batch; a throw or rejection keeps the lines queued, to be retried.
   */
  write(chunk: string): void | Promise<void>;
  /** Writes now, before returning; lines handed over here are never dropped by the sink. */
  writeSync(chunk: string): void;
  /** Makes what was written durable (fsync), for the log's strict mode. @default none */
  sync?(): void;
  /**
   * For sinks that keep what they wrote (files): where the stream they hold ended, read once
   * when a log opens them, so that the new stream links to it. A torn last line is repaired.
   * Throws when the end is not a chained record.
   */
  resume?(): ResumePoint | undefined;
  /** Largest batch, in lines. @default no limit */
  readonly maxBatch?: number;
  close?(): void | Promise<void>;
  /** Called at process exit instead of `close`. */
  closeSync?(): void;
}
