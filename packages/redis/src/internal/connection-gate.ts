import type { Redis } from 'ioredis';
import { RedisStoreError } from '../redis-store-error.js';
import { measureClockOffset } from './server-clock.js';

const noop = () => {};
/** Statuses of a client that has not connected yet, which a first call may wait for. */
const STARTING = new Set(['wait', 'connecting', 'connect', 'ready']);

/**
 * Every command the store sends goes through the gate, which bounds it in time:
 * - while the client makes its first connection, a call waits for it, up to `timeoutMs`;
 * - after that, a call is sent only while the connection is ready and healthy: otherwise it
 *   fails at once with `STORE_UNAVAILABLE`, so that an outage costs evaluations nothing;
 * - a sent call is raced against what is left of `timeoutMs`; a timeout marks the connection
 *   unhealthy until a probe (`TIME`, every `timeoutMs` or so) answers in time again.
 * Each (re)connection measures Redis's clock, so that scripts get deadlines on it.
 */
export class ConnectionGate {
  readonly client: Redis;
  readonly #owned: boolean;
  readonly #timeoutMs: number;
  /** Redis's clock minus ours, in ms; undefined until measured on this connection. */
  #offsetMs: number | undefined;
  #healthy = false;
  /** Set once Redis answered, or once the connection went down: from then on, calls never wait. */
  #settled = false;
  #closed = false;
  #syncing = false;
  #probe: ReturnType<typeof setTimeout> | undefined;
  readonly #waiters = new Set<() => void>();
  #lastError: string | undefined;
  readonly #onReady = () => this.#sync();
  readonly #onClose = () => {
    this.#healthy = false;
    this.#settled = true;
    this.#offsetMs = undefined;
    this.#wakeAll();
  };
  readonly #onError = (error: Error) => {
    this.#lastError = error.message;
  };

  constructor(client: Redis, owned: boolean, timeoutMs: number) {
    this.client = client;
    this.#owned = owned;
    this.#timeoutMs = timeoutMs;
    client.on('ready', this.#onReady);
    client.on('close', this.#onClose);
    // ioredis prints errors nobody listens to; the store reports them through its rejections.
    // A client the user owns keeps the user's own error handling.
    if (owned) client.on('error', this.#onError);
    if (client.status === 'ready') this.#sync();
  }

  /** Whether calls are being sent (false while Redis is down or unhealthy). */
  get healthy(): boolean {
    return this.#healthy;
  }

  /**
   * Runs `send` within `timeoutMs` of now. `send` receives the deadline to give a script, as
   * epoch ms on Redis's clock (0 when Redis's clock is not known).
   */
  run<T>(what: string, send: (scriptDeadline: number) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(this.#error('STORE_CLOSED', what));
    const started = Date.now();
    if (this.#healthy) return this.#timed(what, started, send);
    if (this.#settled || !STARTING.has(this.client.status)) {
      return Promise.reject(this.#error('STORE_UNAVAILABLE', what));
    }
    return this.#waitHealthy(what, started).then(() => this.#timed(what, started, send));
  }

  /** Marks the connection unhealthy (a call timed out) until a probe answers in time. */
  trip(): void {
    if (!this.#healthy) return;
    this.#healthy = false;
    this.#scheduleProbe();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#healthy = false;
    if (this.#probe !== undefined) clearTimeout(this.#probe);
    this.#wakeAll();
    this.client.off('ready', this.#onReady);
    this.client.off('close', this.#onClose);
    if (!this.#owned || this.client.status === 'end') return;
    const ended = new Promise<void>((resolve) => this.client.once('end', () => resolve()));
    try {
      await this.#race(this.client.quit(), this.#timeoutMs, 'close');
    } catch {
      // Not connected, or too slow to say goodbye: drop the connection.
    }
    this.client.disconnect();
    await this.#race(ended, this.#timeoutMs, 'close').catch(noop);
    this.client.off('error', this.#onError);
  }

  #timed<T>(what: string, started: number, send: (scriptDeadline: number) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(this.#error('STORE_CLOSED', what));
    if (!this.#healthy) return Promise.reject(this.#error('STORE_UNAVAILABLE', what));
    const left = started + this.#timeoutMs - Date.now();
    if (left <= 0) return Promise.reject(this.#error('STORE_TIMEOUT', what));
    // The script must not run once the caller may have given up: leave the reply time to come back.
    const margin = Math.min(50, this.#timeoutMs / 4);
    const deadline =
      this.#offsetMs === undefined ? 0 : Math.floor(started + this.#timeoutMs - margin + this.#offsetMs);
    let sent: Promise<T>;
    try {
      sent = send(deadline);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#race(sent, left, what);
  }

  #race<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.trip();
        reject(this.#error('STORE_TIMEOUT', what));
      }, ms);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(this.#wrap(error, what));
        },
      );
    });
  }

  #waitHealthy(what: string, started: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.#waiters.delete(wake);
          // Waited a whole timeout for the first connection: later calls fail fast until it is up.
          this.#settled = true;
          reject(this.#error('STORE_TIMEOUT', what));
        },
        Math.max(0, started + this.#timeoutMs - Date.now()),
      );
      const wake = () => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      this.#waiters.add(wake);
      if (this.client.status === 'wait') this.client.connect().catch(noop);
    });
  }

  /** Measures Redis's clock; success makes the connection healthy. */
  #sync(): void {
    if (this.#syncing || this.#closed) return;
    this.#syncing = true;
    this.#race(measureClockOffset(this.client), this.#timeoutMs, 'clock sync')
      .then(
        (offset) => {
          this.#offsetMs = offset;
          if (this.#closed || this.client.status !== 'ready') return;
          this.#healthy = true;
          this.#settled = true;
          this.#wakeAll();
        },
        () => this.#scheduleProbe(),
      )
      .finally(() => {
        this.#syncing = false;
      });
  }

  #wakeAll(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  #scheduleProbe(): void {
    if (this.#probe !== undefined || this.#closed) return;
    this.#probe = setTimeout(
      () => {
        this.#probe = undefined;
        // A connection that is down probes itself: its next 'ready' runs the sync.
        if (this.client.status === 'ready') this.#sync();
      },
      Math.max(50, Math.min(this.#timeoutMs, 1_000)),
    );
    this.#probe.unref?.();
  }

  #wrap(error: unknown, what: string): Error {
    if (error instanceof RedisStoreError) return error;
    // A reply from Redis (WRONGTYPE, a script error…) is Redis's answer: pass it on as it is.
    if (error instanceof Error && error.name === 'ReplyError') return error;
    const message = error instanceof Error ? error.message : String(error);
    return new RedisStoreError('STORE_UNAVAILABLE', `${what}: Redis unavailable (${message})`, {
      cause: error,
    });
  }

  #error(code: RedisStoreError['code'], what: string): RedisStoreError {
    switch (code) {
      case 'STORE_CLOSED':
        return new RedisStoreError(code, `${what}: the store is closed`);
      case 'STORE_TIMEOUT':
        return new RedisStoreError(code, `${what}: Redis did not answer within ${this.#timeoutMs} ms`);
      default: {
        const why = this.#lastError === undefined ? '' : ` (last error: ${this.#lastError})`;
        return new RedisStoreError(code, `${what}: Redis unavailable, status ${this.client.status}${why}`);
      }
    }
  }
}
