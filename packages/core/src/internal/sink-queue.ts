import type { AuditSink } from '../sinks/audit-sink.js';
import { isPromise } from './is-promise.js';

const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 5_000;

/**
 * One sink's queue of NDJSON lines. Lines leave the queue only once the sink has taken them:
 * a failed write keeps them and retries with backoff, and reports each failure. While a sink
 * fails, its queue grows past the bound rather than drop a record: memory is the limit, and
 * every failure is reported.
 */
export class SinkQueue {
  readonly sink: AuditSink;
  lines: string[] = [];
  written = 0;
  errors = 0;
  /** Lines at the head of the queue handed to an asynchronous write still in flight. */
  #inFlight = 0;
  #pending: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #backoff = RETRY_MIN_MS;
  #syncBlockedUntil = 0;
  readonly #onError: (sink: AuditSink, error: unknown) => void;

  constructor(sink: AuditSink, onError: (sink: AuditSink, error: unknown) => void) {
    this.sink = sink;
    this.#onError = onError;
  }

  get depth(): number {
    return this.lines.length;
  }

  /** Writes queued lines off the evaluation path; asynchronous sinks one batch at a time. */
  drain(): void {
    while (this.#inFlight === 0 && this.#retry === undefined && this.lines.length > 0) {
      const n = Math.min(this.lines.length, this.sink.maxBatch ?? Number.POSITIVE_INFINITY);
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
    try {
      this.sink.writeSync((from === 0 ? this.lines : this.lines.slice(from)).join(''));
    } catch (error) {
      this.errors++;
      this.#onError(this.sink, error);
      this.#syncBlockedUntil = performance.now() + this.#backoff;
      this.#backoff = Math.min(this.#backoff * 2, RETRY_MAX_MS);
      return false;
    }
    this.#syncBlockedUntil = 0;
    this.#backoff = RETRY_MIN_MS;
    this.written += this.lines.length - from;
    this.lines.length = from;
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
  }

  #failed(error: unknown): void {
    this.errors++;
    this.#onError(this.sink, error);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.drain();
    }, this.#backoff);
    this.#retry.unref();
    this.#backoff = Math.min(this.#backoff * 2, RETRY_MAX_MS);
  }

  #cancelRetry(): void {
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.#retry = undefined;
  }
}
