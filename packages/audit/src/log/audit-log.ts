import { EventEmitter } from 'node:events';
import { v7 as uuidv7 } from 'uuid';
import { checkpointPayload, createCheckpointSigner } from '../chain/checkpoint-signature.js';
import { chainHash } from '../chain/hash-chain.js';
import { sealRecord } from '../chain/internal/seal-record.js';
import { canonicalJson } from '../internal/canonical-json.js';
import { closeAtExit, closedBeforeExit } from '../internal/exit-flush.js';
import { sha256Hex } from '../internal/sha256-hex.js';
import {
  AUDIT_DATASET,
  type AuditFields,
  type AuditRecord,
  type AuditRecordDraft,
  DATA_STREAM_PART_PATTERN,
  GENESIS_HASH,
  type PreviousStreamFields,
  STREAM_ID_PATTERN,
} from '../records/audit-record.js';
import { type LogIdentity, logRecord } from '../records/internal/log-record.js';
import { withHash } from '../records/internal/record-line.js';
import { hashOffset, stateRecordJson } from '../records/internal/state-record-json.js';
import type { AuditSink } from '../sinks/audit-sink.js';
import type { ResumePoint } from '../sinks/resume-point.js';
import { stdoutSink } from '../sinks/stdout-sink.js';
import { AuditLogClosedError } from './audit-log-closed-error.js';
import type { AuditLogOptions, AuditLogStats } from './audit-log-options.js';
import { type RefusedRange, SinkQueue } from './internal/sink-queue.js';
import { Subscriber } from './internal/subscriber.js';
import { subscriberIterator } from './internal/subscriber-iterator.js';

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
  readonly #identity: LogIdentity;
  readonly #subscribers = new Set<Subscriber>();
  /** Delivery loops of `subscribe` callbacks, which `close()` lets finish. */
  readonly #pumps = new Set<Promise<void>>();
  /** Records `enqueue` stamped, not yet linked into the chain: linked before anything else is written. */
  #deferred: AuditRecord[] = [];
  #sequence = 0;
  #head = GENESIS_HASH;
  #sinceCheckpoint = 0;
  #flushScheduled = false;
  #closed = false;
  #gaps = 0;
  #missed = 0;
  readonly #warned = new Set<string>();
  /** The stream this one continues (a restart on the same files): named by record 1. */
  #previous: PreviousStreamFields | undefined;
  readonly #durability: 'batched' | 'strict';
  #commit: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | undefined;

  constructor(options: AuditLogOptions = {}) {
    super();
    const {
      chain = true,
      checkpointEvery = 1000,
      maxQueue = 256,
      maxBuffered = 50_000,
      subscriberBuffer = 1024,
      durability = 'batched',
    } = options;
    if (durability !== 'batched' && durability !== 'strict') {
      throw new TypeError(`durability must be "batched" or "strict", got ${JSON.stringify(durability)}`);
    }
    this.#durability = durability;
    if (!(Number.isInteger(checkpointEvery) && checkpointEvery >= 0)) {
      throw new RangeError(`checkpointEvery must be a non-negative integer, got ${checkpointEvery}`);
    }
    if (!(Number.isInteger(maxQueue) && maxQueue >= 1))
      throw new RangeError(`maxQueue must be positive, got ${maxQueue}`);
    if (!(Number.isInteger(maxBuffered) && maxBuffered >= maxQueue)) {
      throw new RangeError(
        `maxBuffered must be an integer of at least maxQueue (${maxQueue}), got ${maxBuffered}`,
      );
    }
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
    this.#identity = {
      service: Object.freeze({ name: this.service }),
      dataStream: Object.freeze({ type: 'logs', dataset: AUDIT_DATASET, namespace: this.namespace }),
    };
    const refusal = { limit: maxBuffered, onRefused: this.#onRefused, gapLine: this.#refusedGapLine };
    this.#queues = (options.sinks ?? [stdoutSink()]).map(
      (sink) => new SinkQueue(sink, this.#onSinkError, refusal),
    );
    if (this.#chain) this.#resume();
    closeAtExit(this);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** `strict`: `commit()` makes state changes durable before their evaluation returns. */
  get durability(): 'batched' | 'strict' {
    return this.#durability;
  }

  /** The stream this one continues, read from its durable sinks when it opened. */
  get previous(): PreviousStreamFields | undefined {
    return this.#previous;
  }

  /**
   * Gives the record its place in the stream (`event.sequence`, `audit`, `event.hash`), queues
   * it for every sink and subscriber, and returns it. Never waits for I/O, except when a sink's
   * queue is full: then it writes synchronously rather than drop anything.
   */
  append(draft: AuditRecordDraft): AuditRecord {
    if (this.#closed) throw new AuditLogClosedError();
    this.#linkDeferred();
    const record = this.#place(this.#stamp(draft), undefined);
    this.#countForCheckpoint();
    return record;
  }

  /**
   * `append` for a caller that does not need the record back (the hook): the record gets its
   * `event.sequence` now, and its place in the chain (`audit`, `event.hash`) and its line when
   * the log next writes (its flush, at the latest before the next `append`, `flush`, `commit`
   * or close), off the evaluation path. Records keep their order; subscribers get each record
   * once it is linked.
   */
  enqueue(draft: AuditRecordDraft): void {
    if (this.#closed) throw new AuditLogClosedError();
    this.#deferred.push(this.#stamp(draft));
    // Counted with the sinks' queues, so that at most maxQueue records wait unwritten (the
    // documented crash-loss bound): a caller that never yields links and writes in batches.
    if (this.#deferred.length + this.#deepestQueue() >= this.#maxQueue) this.#linkDeferred();
    else this.#scheduleFlush();
    this.#countForCheckpoint();
  }

  /**
   * Calls `fn` with every record from now on, asynchronously and in order; a slow `fn`
   * (one whose promise takes long) misses records beyond `bufferSize` and gets a gap record.
   * Returns a function that unsubscribes.
   */
  subscribe(
    fn: (record: AuditRecord) => void | Promise<void>,
    options: { /** @default the log's subscriberBuffer (1024) */ bufferSize?: number } = {},
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

  /**
   * Every record from now on as an async iterator; ends when the log closes. A reader that
   * falls more than `bufferSize` records behind gets one gap record for what it missed.
   */
  stream(
    options: { /** @default the log's subscriberBuffer (1024) */ bufferSize?: number } = {},
  ): AsyncIterableIterator<AuditRecord> {
    const subscriber = this.#addSubscriber(options.bufferSize);
    return subscriberIterator(subscriber, () => this.#subscribers.delete(subscriber));
  }

  /** Resolves once every record appended so far is written by every sink. */
  async flush(): Promise<void> {
    this.#linkDeferred();
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
    this.#linkDeferred();
    if (this.#chain && this.#sequence > 0) this.#checkpoint(true);
    this.#closed = true;
    closedBeforeExit(this);
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
    this.#linkDeferred();
    if (this.#chain && this.#sequence > 0) this.#checkpoint(true);
    this.#closed = true;
    closedBeforeExit(this);
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

  /**
   * Resolves once every record appended so far is written and fsync'ed by every sink that can
   * (`sync`). Calls within one turn of the event loop share one write and one fsync: a group
   * commit. The hook awaits it for state changes in strict mode.
   */
  commit(): Promise<void> {
    if (this.#commit !== undefined) return this.#commit.promise;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    this.#commit = { promise, resolve, reject };
    setImmediate(this.#commitTick);
    return promise;
  }

  /** Writes what is queued now, synchronously, and fsyncs; the log stays open. For signals. */
  flushSync(): void {
    this.#linkDeferred();
    for (const q of this.#queues) {
      if (q.drainSync(true)) this.#syncSink(q.sink);
    }
  }

  stats(): AuditLogStats {
    let written = 0;
    let queued = 0;
    let sinkErrors = 0;
    let refused = 0;
    for (const q of this.#queues) {
      written += q.written;
      queued += q.depth;
      sinkErrors += q.errors;
      refused += q.refused;
    }
    return {
      stream: this.streamId,
      sequence: this.#sequence,
      written,
      // Deferred records are queued for every sink.
      queued: queued + this.#deferred.length * this.#queues.length,
      gaps: this.#gaps,
      missed: this.#missed,
      sinkErrors,
      refused,
      subscribers: this.#subscribers.size,
    };
  }

  /** The record's `service`, `data_stream` and `event.sequence`: what it gets when appended. */
  #stamp(draft: AuditRecordDraft): AuditRecord {
    const record = draft as AuditRecord;
    record.service = this.#identity.service;
    record.data_stream = this.#identity.dataStream;
    record.event.sequence = ++this.#sequence;
    return record;
  }

  #deepestQueue(): number {
    let depth = 0;
    for (const q of this.#queues) if (q.depth > depth) depth = q.depth;
    return depth;
  }

  #countForCheckpoint(): void {
    if (this.#chain && this.#checkpointEvery > 0 && ++this.#sinceCheckpoint >= this.#checkpointEvery) {
      this.#checkpoint(false);
    }
  }

  /** Links and queues the records `enqueue` deferred, in their order. */
  #linkDeferred(): void {
    const deferred = this.#deferred;
    if (deferred.length === 0) return;
    // Taken first: a sink error handler that appends must not link these twice.
    this.#deferred = [];
    for (let i = 0; i < deferred.length; i++) this.#place(deferred[i]!, undefined);
  }

  /** Links a stamped record into the chain, and queues its line for every sink and subscriber. */
  #place(record: AuditRecord, extra: Omit<AuditFields, 'stream' | 'prev_hash'> | undefined): AuditRecord {
    const sequence = record.event.sequence!;
    // A draft may bring fields of its own (a suspension); its place in the stream is ours.
    const own = (record as AuditRecordDraft).audit;
    record.audit = this.#chain
      ? sequence === 1 && this.#previous !== undefined
        ? { ...own, stream: this.streamId, prev_hash: this.#head, previous: this.#previous, ...extra }
        : own === undefined && extra === undefined
          ? { stream: this.streamId, prev_hash: this.#head }
          : { ...own, stream: this.streamId, prev_hash: this.#head, ...extra }
      : { ...own, stream: this.streamId, ...extra };
    let line: string;
    if (this.#chain) {
      // State records are written in their fixed key order; any other shape sorts its keys.
      const fixed = stateRecordJson(record);
      if (fixed !== undefined) {
        // chainHash's input, kept: hashing flattens it once, and the line is cut from it.
        const linked = `${this.#head}\n${fixed}`;
        this.#head = sha256Hex(linked);
        record.event.hash = this.#head;
        const start = linked.length - fixed.length;
        const at = start + hashOffset();
        line = `${linked.slice(start, at)},"hash":"${this.#head}"${linked.slice(at)}\n`;
      } else {
        delete record.event.hash;
        const canonical = canonicalJson(record) ?? '';
        this.#head = chainHash(this.#head, canonical);
        record.event.hash = this.#head;
        line = withHash(canonical, record);
      }
    } else {
      line = `${JSON.stringify(record)}\n`;
    }
    for (const q of this.#queues) {
      if (q.offer(line, sequence) && q.depth >= this.#maxQueue) q.drainSync();
    }
    for (const s of this.#subscribers) this.#missed += s.offer(record);
    this.#scheduleFlush();
    return record;
  }

  #checkpoint(final: boolean): void {
    this.#linkDeferred();
    const count = this.#sequence;
    const head = this.#head;
    const signature = this.#signer?.sign(checkpointPayload(this.streamId, count + 1, count, head, final));
    this.#sinceCheckpoint = 0;
    const record = logRecord(
      this.#identity,
      'audit-checkpoint',
      `audit checkpoint${final ? ' (close)' : ''}: ${count} records, head ${head.slice(0, 12)}`,
    );
    this.#place(this.#stamp(record), {
      checkpoint: {
        count,
        head,
        final,
        ...(signature === undefined ? {} : { signature, key_id: this.#signer!.keyId }),
      },
    });
  }

  /**
   * Reads where the durable sinks' earlier stream ended. A stream that ended in a crash (no
   * closing checkpoint) is sealed first, in its own chain, at its last good record; this
   * stream's record 1 then names the seal (or the closing checkpoint) in `audit.previous`.
   */
  #resume(): void {
    let point: ResumePoint | undefined;
    const holders: SinkQueue[] = [];
    for (const q of this.#queues) {
      let p: ResumePoint | undefined;
      try {
        p = q.sink.resume?.();
      } catch (error) {
        this.#warn(`resume:${q.sink.name}`, `${(error as Error).message}; this stream starts a new chain`);
        continue;
      }
      if (p === undefined) continue;
      if (point === undefined) point = p;
      if (p.stream === point.stream && p.sequence === point.sequence) holders.push(q);
      else {
        this.#warn(
          `resume:${q.sink.name}`,
          `audit sink ${q.sink.name} ends in stream ${p.stream} at record ${p.sequence}, not where ${holders[0]!.sink.name} ends; record 1 links to the latter`,
        );
      }
    }
    if (point === undefined) return;
    if (point.closed) {
      this.#previous = { stream: point.stream, sequence: point.sequence, hash: point.hash };
      if (point.tornBytes > 0) {
        this.#warn(
          'torn',
          `cut a torn last line (${point.tornBytes} bytes) after closed stream ${point.stream}`,
        );
      }
      return;
    }
    const seal = sealRecord(point, this.streamId, this.#identity, this.#signer);
    // Only the sinks that hold the crashed stream get its seal.
    for (const q of holders) q.lines.push(seal.line);
    this.#scheduleFlush();
    this.#previous = { stream: point.stream, sequence: seal.sequence, hash: seal.hash };
  }

  #commitTick = (): void => {
    const commit = this.#commit!;
    this.#commit = undefined;
    this.#linkDeferred();
    Promise.all(this.#queues.map((q) => q.flush()))
      .then(() => {
        for (const q of this.#queues) this.#syncSink(q.sink, true);
        commit.resolve();
      })
      .catch(commit.reject);
  };

  /** fsync where a sink can; `rethrow` for commits, which must not claim durability falsely. */
  #syncSink(sink: AuditSink, rethrow = false): void {
    try {
      sink.sync?.();
    } catch (error) {
      this.#onSinkError(sink, error);
      if (rethrow) throw error;
    }
  }

  #gapRecord = (fromSequence: number, toSequence: number, missed: number): AuditRecord => {
    this.#gaps++;
    const record = logRecord(
      this.#identity,
      'audit-gap',
      `audit subscriber fell behind: missed ${missed} records (${fromSequence}..${toSequence})`,
    );
    return {
      ...record,
      audit: { stream: this.streamId, gap: { from_sequence: fromSequence, to_sequence: toSequence, missed } },
    };
  };

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
    this.#linkDeferred();
    for (const q of this.#queues) q.drain();
  };

  /** A sink that refused records while it was down hears, once it is back, what it missed. */
  #refusedGapLine = (sink: AuditSink, run: RefusedRange): string => {
    const gap = {
      ...logRecord(
        this.#identity,
        'audit-gap',
        `audit sink ${sink.name} was failing and full: it refused ${run.count} records (${run.from}..${run.to})`,
      ),
      audit: {
        stream: this.streamId,
        gap: { from_sequence: run.from, to_sequence: run.to, missed: run.count },
      },
    };
    return `${JSON.stringify(gap)}\n`;
  };

  #onRefused = (sink: AuditSink, sequence: number): void => {
    const error = new Error(
      `audit sink ${sink.name} is failing and holds its maximum of records (maxBuffered): records from ${sequence} on are refused for it, counted (stats().refused), until it takes records again`,
    );
    if (this.listenerCount('error') > 0) this.emit('error', error, sink);
    else process.emitWarning(error.message, { code: 'FLAGSTATE_AUDIT' });
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

/** Creates an audit log; see `AuditLogOptions`. */
export function createAuditLog(options: AuditLogOptions = {}): AuditLog {
  return new AuditLog(options);
}
