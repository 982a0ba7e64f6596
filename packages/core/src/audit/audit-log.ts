import { EventEmitter } from 'node:events';
import { v7 as uuidv7 } from 'uuid';
import { canonicalJson } from '../internal/canonical-json.js';
import { SinkQueue } from '../internal/sink-queue.js';
import { Subscriber } from '../internal/subscriber.js';
import type { AuditSink } from '../sinks/audit-sink.js';
import { stdoutSink } from '../sinks/stdout-sink.js';
import {
  ACTION_SHAPES,
  AUDIT_DATASET,
  AUDIT_PROVIDER,
  type AuditFields,
  type AuditRecord,
  type AuditRecordDraft,
  DATA_STREAM_PART_PATTERN,
  ECS_VERSION,
  GENESIS_HASH,
  STREAM_ID_PATTERN,
} from './audit-record.js';
import { checkpointPayload, createCheckpointSigner, type KeyInput } from './checkpoint-signature.js';
import { chainHash } from './hash-chain.js';

export interface AuditLogOptions {
  /** Where records go. @default [stdoutSink()] */
  readonly sinks?: readonly AuditSink[];
  /** Hash-chain the records (`event.hash`, `audit.prev_hash`) and write checkpoints. @default true */
  readonly chain?: boolean;
  /** Write an `audit-checkpoint` after this many records; 0 for only the one on close. @default 1000 */
  readonly checkpointEvery?: number;
  /** Ed25519 private key that signs checkpoints, so that a cut tail is detectable. @default undefined */
  readonly signingKey?: KeyInput;
  /** Lines queued per sink before appends write synchronously instead. @default 10_000 */
  readonly maxQueue?: number;
  /** Records buffered per in-process subscriber before it gets a gap. @default 1024 */
  readonly subscriberBuffer?: number;
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
  /** Lines waiting in sink queues. */
  readonly queued: number;
  /** Gap records handed to subscribers, and the records they stand for. */
  readonly gaps: number;
  readonly missed: number;
  readonly sinkErrors: number;
  readonly subscribers: number;
}

/** Thrown by `append` after `close()`: the caller has a lifecycle bug, and nothing is dropped silently. */
export class AuditLogClosedError extends Error {
  readonly code = 'AUDIT_LOG_CLOSED';
  constructor() {
    super('the audit log is closed');
    this.name = 'AuditLogClosedError';
  }
}

const openLogs = new Set<AuditLog>();
let exitHookInstalled = false;

/** At exit (normal end, `process.exit()`), every open log writes what it holds, synchronously. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const log of openLogs) log.closeSync();
  });
}

/**
 * The audit stream: `append` is synchronous and cheap; sinks are written in batches off the
 * evaluation path. Emits `'error'` (sink, error) for sink failures when someone listens.
 */
export class AuditLog extends EventEmitter {
  /** `audit.stream` of every record of this log. */
  readonly streamId: string;
  readonly #queues: SinkQueue[];
  readonly #chain: boolean;
  readonly #checkpointEvery: number;
  readonly #signer: ReturnType<typeof createCheckpointSigner> | undefined;
  readonly #maxQueue: number;
  readonly #subscriberBuffer: number;
  /** ECS `service.name` of every record. */
  readonly service: string;
  /** `data_stream.namespace` of every record. */
  readonly namespace: string;
  readonly #serviceField: AuditRecord['service'];
  readonly #dataStreamField: AuditRecord['data_stream'];
  readonly #subscribers = new Set<Subscriber>();
  /** Delivery loops of `subscribe` callbacks, which `close()` lets finish. */
  readonly #pumps = new Set<Promise<void>>();
  #sequence = 0;
  #head = GENESIS_HASH;
  #sinceCheckpoint = 0;
  #flushScheduled = false;
  #closed = false;
  #gaps = 0;
  #missed = 0;
  readonly #warned = new Set<string>();

  constructor(options: AuditLogOptions = {}) {
    super();
    const { chain = true, checkpointEvery = 1000, maxQueue = 10_000, subscriberBuffer = 1024 } = options;
    if (!(Number.isInteger(checkpointEvery) && checkpointEvery >= 0)) {
      throw new RangeError(`checkpointEvery must be a non-negative integer, got ${checkpointEvery}`);
    }
    if (!(Number.isInteger(maxQueue) && maxQueue >= 1))
      throw new RangeError(`maxQueue must be positive, got ${maxQueue}`);
    this.streamId = options.stream ?? uuidv7();
    if (!STREAM_ID_PATTERN.test(this.streamId)) {
      throw new TypeError(`stream "${this.streamId}" must be a UUID or a ULID`);
    }
    this.#chain = chain;
    this.#checkpointEvery = checkpointEvery;
    this.#signer = options.signingKey === undefined ? undefined : createCheckpointSigner(options.signingKey);
    this.#maxQueue = maxQueue;
    this.#subscriberBuffer = subscriberBuffer;
    this.service = options.service ?? process.env.OTEL_SERVICE_NAME ?? 'unknown_service:node';
    this.namespace = options.namespace ?? 'default';
    if (this.service === '') throw new TypeError('service must not be empty');
    if (!DATA_STREAM_PART_PATTERN.test(this.namespace)) {
      throw new TypeError(
        `namespace "${this.namespace}" must be lower case letters, digits, "_" or "." (at most 100, not starting with "_")`,
      );
    }
    // Shared by every record: written, never changed.
    this.#serviceField = Object.freeze({ name: this.service });
    this.#dataStreamField = Object.freeze({
      type: 'logs',
      dataset: AUDIT_DATASET,
      namespace: this.namespace,
    });
    this.#queues = (options.sinks ?? [stdoutSink()]).map((sink) => new SinkQueue(sink, this.#onSinkError));
    openLogs.add(this);
    installExitHook();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Gives the record its place in the stream (`event.sequence`, `audit`, `event.hash`), queues
   * it for every sink and subscriber, and returns it. Never waits for I/O, except when a sink's
   * queue is full: then it writes synchronously rather than drop anything.
   */
  append(draft: AuditRecordDraft): AuditRecord {
    if (this.#closed) throw new AuditLogClosedError();
    const record = this.#place(draft, undefined);
    if (this.#chain && this.#checkpointEvery > 0 && ++this.#sinceCheckpoint >= this.#checkpointEvery) {
      this.#checkpoint(false);
    }
    return record;
  }

  /**
   * Calls `fn` with every record from now on, asynchronously and in order; a slow `fn`
   * (one whose promise takes long) misses records beyond `bufferSize` and gets a gap record.
   * Returns a function that unsubscribes.
   */
  subscribe(
    fn: (record: AuditRecord) => void | Promise<void>,
    options: { bufferSize?: number } = {},
  ): () => void {
    const subscriber = this.#addSubscriber(options.bufferSize);
    const pump = (async () => {
      for (let r = await subscriber.next(); r !== undefined; r = await subscriber.next()) {
        try {
          await fn(r);
        } catch (error) {
          this.#warn('subscriber', `an audit subscriber threw: ${String(error)}`);
        }
      }
    })();
    this.#pumps.add(pump);
    void pump.finally(() => this.#pumps.delete(pump));
    return () => {
      subscriber.end();
      this.#subscribers.delete(subscriber);
    };
  }

  /** Every record from now on as an async iterator; ends when the log closes. */
  stream(options: { bufferSize?: number } = {}): AsyncIterableIterator<AuditRecord> {
    const subscriber = this.#addSubscriber(options.bufferSize);
    const subscribers = this.#subscribers;
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next() {
        const value = await subscriber.next();
        if (value === undefined) {
          subscribers.delete(subscriber);
          return { done: true, value: undefined };
        }
        return { done: false, value };
      },
      async return() {
        subscriber.end();
        subscribers.delete(subscriber);
        return { done: true, value: undefined };
      },
    };
  }

  /** Resolves once every record appended so far is written by every sink. */
  async flush(): Promise<void> {
    const results = await Promise.allSettled(this.#queues.map((q) => q.flush()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0)
      throw new AggregateError(
        failed.map((f) => f.reason),
        'audit log flush failed',
      );
  }

  /** Writes the closing checkpoint, flushes every sink, ends subscribers. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#chain) this.#checkpoint(true);
    this.#closed = true;
    openLogs.delete(this);
    try {
      await this.flush();
    } finally {
      for (const q of this.#queues) q.cancel();
      await Promise.allSettled(this.#queues.map(async (q) => q.sink.close?.()));
      for (const s of this.#subscribers) s.end();
      this.#subscribers.clear();
      await Promise.all(this.#pumps);
    }
  }

  /** `close()` without waiting: what is queued is written with synchronous calls. For exit. */
  closeSync(): void {
    if (this.#closed) return;
    if (this.#chain) this.#checkpoint(true);
    this.#closed = true;
    openLogs.delete(this);
    for (const q of this.#queues) {
      q.cancel();
      q.drainSync(true);
      try {
        q.sink.closeSync?.();
      } catch (error) {
        this.#onSinkError(q.sink, error);
      }
    }
    for (const s of this.#subscribers) s.end();
  }

  stats(): AuditLogStats {
    let written = 0;
    let queued = 0;
    let sinkErrors = 0;
    for (const q of this.#queues) {
      written += q.written;
      queued += q.depth;
      sinkErrors += q.errors;
    }
    return {
      stream: this.streamId,
      sequence: this.#sequence,
      written,
      queued,
      gaps: this.#gaps,
      missed: this.#missed,
      sinkErrors,
      subscribers: this.#subscribers.size,
    };
  }

  #place(draft: AuditRecordDraft, extra: Omit<AuditFields, 'stream' | 'prev_hash'> | undefined): AuditRecord {
    const record = draft as AuditRecord;
    record.service = this.#serviceField;
    record.data_stream = this.#dataStreamField;
    const sequence = ++this.#sequence;
    record.event.sequence = sequence;
    record.audit = this.#chain
      ? { stream: this.streamId, prev_hash: this.#head, ...extra }
      : { stream: this.streamId, ...extra };
    let line: string;
    if (this.#chain) {
      delete record.event.hash;
      const canonical = canonicalJson(record) ?? '';
      this.#head = chainHash(this.#head, canonical);
      record.event.hash = this.#head;
      line = withHash(canonical, record);
    } else {
      line = `${JSON.stringify(record)}\n`;
    }
    for (const q of this.#queues) {
      q.lines.push(line);
      if (q.depth >= this.#maxQueue) q.drainSync();
    }
    for (const s of this.#subscribers) this.#missed += s.offer(record);
    this.#scheduleFlush();
    return record;
  }

  #checkpoint(final: boolean): void {
    const count = this.#sequence;
    const head = this.#head;
    const signature = this.#signer?.sign(checkpointPayload(this.streamId, count + 1, count, head, final));
    this.#sinceCheckpoint = 0;
    const record = this.#logRecord(
      'audit-checkpoint',
      `audit checkpoint${final ? ' (close)' : ''}: ${count} records, head ${head.slice(0, 12)}`,
    );
    record.event.sequence = 0;
    this.#place(record, {
      checkpoint: {
        count,
        head,
        final,
        ...(signature === undefined ? {} : { signature, key_id: this.#signer!.keyId }),
      },
    });
  }

  #gapRecord = (fromSequence: number, toSequence: number, missed: number): AuditRecord => {
    this.#gaps++;
    const record = this.#logRecord(
      'audit-gap',
      `audit subscriber fell behind: missed ${missed} records (${fromSequence}..${toSequence})`,
    );
    return {
      ...record,
      audit: { stream: this.streamId, gap: { from_sequence: fromSequence, to_sequence: toSequence, missed } },
    };
  };

  /** A record the log writes about itself: a checkpoint or a gap. */
  #logRecord(action: 'audit-checkpoint' | 'audit-gap', message: string): Omit<AuditRecord, 'audit'> {
    const shape = ACTION_SHAPES[action];
    return {
      '@timestamp': new Date().toISOString(),
      ecs: { version: ECS_VERSION },
      message,
      log: { level: shape.level },
      event: {
        kind: 'event',
        category: ['configuration'],
        type: [shape.type],
        action,
        outcome: shape.outcome,
        id: uuidv7(),
        dataset: AUDIT_DATASET,
        provider: AUDIT_PROVIDER,
      },
      data_stream: this.#dataStreamField,
      service: this.#serviceField,
    };
  }

  #addSubscriber(bufferSize = this.#subscriberBuffer): Subscriber {
    const subscriber = new Subscriber(bufferSize, this.#gapRecord);
    if (this.#closed) subscriber.end();
    else this.#subscribers.add(subscriber);
    return subscriber;
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(this.#flushTick);
  }

  #flushTick = (): void => {
    this.#flushScheduled = false;
    for (const q of this.#queues) q.drain();
  };

  #onSinkError = (sink: AuditSink, error: unknown): void => {
    if (this.listenerCount('error') > 0) this.emit('error', error, sink);
    else this.#warn(sink.name, `audit sink ${sink.name} failed: ${String(error)}; records stay queued`);
  };

  /** Without an `'error'` listener, warn once per source instead of crashing the process. */
  #warn(key: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    process.emitWarning(message, { code: 'FLAGSTATE_AUDIT' });
  }
}

/**
 * The record's line: its canonical JSON with `event.hash` put in its sorted place, right
 * before `event.id`, so that the record is serialized once, not twice.
 */
function withHash(canonical: string, record: AuditRecord): string {
  const marker = `"id":${JSON.stringify(record.event.id)}`;
  const at = canonical.indexOf(`,${marker}`);
  if (at < 0) return `${canonicalJson(record)}\n`;
  return `${canonical.slice(0, at)},"hash":"${record.event.hash}"${canonical.slice(at)}\n`;
}

/** Creates an audit log; see `AuditLogOptions`. */
export function createAuditLog(options: AuditLogOptions = {}): AuditLog {
  return new AuditLog(options);
}
