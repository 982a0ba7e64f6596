import { isPromise } from '../../internal/is-promise.js';
import type { AuditSink } from '../../sinks/audit-sink.js';

const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 5_000;
/** Lines per write: a batch is never one string longer than V8 allows, however long the queue. */
const MAX_CHUNK_LINES = 8_192;

/** Sequences refused while a sink was failing and full, reported once it takes lines again. */
export interface RefusedRange {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

/**
 * One sink's queue of NDJSON lines. Lines leave the queue only once the sink has taken them:
 * a failed write keeps them and retries with backoff, and reports each failure. While a sink
 * fails, its queue grows up to `limit` lines; beyond that, new lines are refused, counted and
 * reported (`onRefused` at the first of a run, and as a gap record once the sink recovers),
 * so that a sink that stays down costs bounded memory instead of the process.
 */
export class SinkQueue {
  readonly sink: AuditSink;
  lines: string[] = [];
  written = 0;
  errors = 0;
  /** Lines refused because the sink was failing and its queue was full, ever. */
  refused = 0;
  /** The run of refused sequences not yet reported to the sink. */
  #refusedRun: { from: number; to: number; count: number } | undefined;
  readonly #limit: number;
  #failing = false;
  /** Lines at the head of the queue handed to an asynchronous write still in flight. */
  #inFlight = 0;
  #pending: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #backoff = RETRY_MIN_MS;
  #syncBlockedUntil = 0;
  readonly #onError: (sink: AuditSink, error: unknown) => void;

  readonly #onRefused: (sink: AuditSink, sequence: number) => void;
  readonly #gapLine: (sink: AuditSink, run: RefusedRange) => string;

  constructor(
    sink: AuditSink,
    onError: (sink: AuditSink, error: unknown) => void,
    refusal?: {
      /** Lines held while the sink fails; beyond, lines are refused. */
      readonly limit: number;
      /** Called at the first refused line of a run. */
      readonly onRefused: (sink: AuditSink, sequence: number) => void;
      /** The line that tells the sink, once it takes lines again, what it refused. */
      readonly gapLine: (sink: AuditSink, run: RefusedRange) => string;
    },
  ) {
    this.sink = sink;
    this.#onError = onError;
    this.#limit = refusal?.limit ?? Number.POSITIVE_INFINITY;
    this.#onRefused = refusal?.onRefused ?? (() => undefined);
    this.#gapLine = refusal?.gapLine ?? (() => '');
  }

  /**
   * Queues a line, unless the sink is failing and its queue is full: then the line is refused
   * and counted, and false is returned.
   */
  offer(line: string, sequence: number): boolean {
    if (this.#failing && this.lines.length >= this.#limit) {
      this.refused++;
      if (this.#refusedRun === undefined) {
        this.#refusedRun = { from: sequence, to: sequence, count: 0 };
        this.#onRefused(this.sink, sequence);
      }
      this.#refusedRun.to = sequence;
      this.#refusedRun.count++;
      return false;
    }
    this.lines.push(line);
    return true;
  }

  get depth(): number {
    return this.lines.length;
  }

  /** Writes queued lines off the evaluation path; asynchronous sinks one batch at a time. */
  drain(): void {
    while (this.#inFlight === 0 && this.#retry === undefined && this.lines.length > 0) {
      const n = Math.min(this.lines.length, this.sink.maxBatch ?? MAX_CHUNK_LINES, MAX_CHUNK_LINES);
      const chunk = (n === this.lines.length ? this.lines : this.lines.slice(0, n)).join('');
      let result: void | Promise<void>;
      try {
        result = this.sink.write(chunk);
      } catch (error) {
        this.#failed(error);
        return;
      }
      if (isPromise(result)) {
        this.#inFlight = n;
        this.#pending = result.then(
          () => {
            this.#pending = undefined;
            this.#taken(n);
            this.#inFlight = 0;
            this.drain();
          },
          (error: unknown) => {
            this.#pending = undefined;
            this.#inFlight = 0;
            this.#failed(error);
          },
        );
        return;
      }
      this.#taken(n);
    }
  }

  /**
   * Writes everything not already in flight, now. Returns whether the sink took it. After a
   * failure, appends do not try again until the retry backoff has passed: a sink that is down
   * must not cost every evaluation a failing write of the whole queue. `force` (close, exit)
   * tries regardless.
   */
  drainSync(force = false): boolean {
    const from = this.#inFlight;
    if (this.lines.length <= from) return true;
    if (!force && performance.now() < this.#syncBlockedUntil) return false;
    while (this.lines.length > from) {
      const end = Math.min(this.lines.length, from + MAX_CHUNK_LINES);
      try {
        this.sink.writeSync(this.lines.slice(from, end).join(''));
      } catch (error) {
        this.errors++;
        this.#failing = true;
        this.#onError(this.sink, error);
        this.#syncBlockedUntil = performance.now() + this.#backoff;
        this.#backoff = Math.min(this.#backoff * 2, RETRY_MAX_MS);
        return false;
      }
      this.#syncBlockedUntil = 0;
      this.#backoff = RETRY_MIN_MS;
      this.written += end - from;
      this.lines.splice(from, end - from);
      this.#recovered();
    }
    return true;
  }

  /** Resolves once every queued line is written; rejects if the sink fails meanwhile. */
  async flush(): Promise<void> {
    const errorsBefore = this.errors;
    for (;;) {
      if (this.#pending) await this.#pending;
      if (this.errors > errorsBefore) {
        throw new Error(`audit sink ${this.sink.name} failed; ${this.lines.length} record(s) still queued`);
      }
      if (this.lines.length === 0) return;
      if (this.#inFlight > 0) continue;
      this.#cancelRetry(); // try now rather than after the backoff
      this.drain();
    }
  }

  cancel(): void {
    this.#cancelRetry();
  }

  #taken(n: number): void {
    if (n === this.lines.length) this.lines = [];
    else this.lines.splice(0, n);
    this.written += n;
    this.#backoff = RETRY_MIN_MS;
    this.#recovered();
  }

  /** The sink took lines: it is healthy, and hears (after what it held) what it refused. */
  #recovered(): void {
    this.#failing = false;
    const run = this.#refusedRun;
    if (run === undefined) return;
    this.#refusedRun = undefined;
    this.lines.push(this.#gapLine(this.sink, run));
  }

  #failed(error: unknown): void {
    this.errors++;
    this.#failing = true;
    this.#onError(this.sink, error);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      // Nothing may escape a timer: a failure here is reported like any failed write.
      try {
        this.drain();
      } catch (failure) {
        this.#onError(this.sink, failure);
      }
    }, this.#backoff);
    this.#retry.unref();
    this.#backoff = Math.min(this.#backoff * 2, RETRY_MAX_MS);
  }

  #cancelRetry(): void {
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.#retry = undefined;
  }
}
