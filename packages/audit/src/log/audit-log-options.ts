import type { KeyInput } from '../chain/checkpoint-signature.js';
import type { AuditSink } from '../sinks/audit-sink.js';

export interface AuditLogOptions {
  /** Where records go. @default [stdoutSink()] */
  readonly sinks?: readonly AuditSink[];
  /** Hash-chain the records (`event.hash`, `audit.prev_hash`) and write checkpoints. @default true */
  readonly chain?: boolean;
  /** Write an `audit-checkpoint` after this many records; 0 for only the one on close. @default 1000 */
  readonly checkpointEvery?: number;
  /** Ed25519 private key that signs checkpoints, so that a cut tail is detectable. @default undefined */
  readonly signingKey?: KeyInput;
  /**
   * Lines queued per sink before an append writes them synchronously. Records are otherwise
   * written once per turn of the event loop; this bounds what a crash can lose from code that
   * never yields (a tight loop of evaluations), at one write per this many records.
   * @default 256
   */
  readonly maxQueue?: number;
  /**
   * Lines a failing sink may hold (about 1.3 KB each). Beyond it, new records are refused for
   * that sink, counted (`stats().refused`) and reported (an `'error'` event or a warning, then
   * an `audit-gap` record in that sink once it takes records again), rather than grow until
   * the process dies. Other sinks are not affected.
   * @default 50_000
   */
  readonly maxBuffered?: number;
  /** Records buffered per in-process subscriber before it gets a gap. @default 1024 */
  readonly subscriberBuffer?: number;
  /**
   * `batched`: records are written in batches off the evaluation path; a SIGKILL or power loss
   * can lose what was queued (see docs/durability.md for the measured bound). `strict`: the
   * hook waits for `commit()` on every state change, so that its record is written and
   * fsync'ed (one fsync per event-loop turn, shared) before the evaluation returns. Steady
   * evaluations write nothing and pay nothing either way.
   * @default "batched"
   */
  readonly durability?: 'batched' | 'strict';
  /** The stream id, `audit.stream`: a UUID or a ULID. @default a new UUID v7 */
  readonly stream?: string;
  /**
   * ECS `service.name` of every record. The log owns it, with `namespace`, so that all records
   * of a stream land in one data stream.
   * @default process.env.OTEL_SERVICE_NAME, else "unknown_service:node" (OpenTelemetry's default)
   */
  readonly service?: string;
  /**
   * `data_stream.namespace` of every record: lower case letters, digits, `_` and `.`, at most 100.
   * @default "default"
   */
  readonly namespace?: string;
}

export interface AuditLogStats {
  readonly stream: string;
  /** `event.sequence` of the last record appended. */
  readonly sequence: number;
  /** Lines taken by each sink, summed. */
  readonly written: number;
  /** Lines waiting in sink queues, with records `enqueue` has not linked yet (once per sink). */
  readonly queued: number;
  /** Gap records handed to subscribers, and the records they stand for. */
  readonly gaps: number;
  readonly missed: number;
  readonly sinkErrors: number;
  /** Records refused by sinks that were failing and full (`maxBuffered`), summed. */
  readonly refused: number;
  readonly subscribers: number;
}
