import { RedisStoreError } from '../redis-store-error.js';
import { clientError } from './client-error.js';
import { HealthProbe } from './health-probe.js';
import type { RedisClient } from './redis-client.js';
import { Waiters } from './waiters.js';
import { TIMED_OUT, within } from './within.js';

const noop = () => {};
/** Statuses of a client that has not connected yet, which a first call may wait for. */
const STARTING = new Set(['wait', 'connecting', 'connect', 'ready']);

/**
 * Every command the store sends goes through the gate, which bounds it in time:
 * - while the client makes its first connection, a call waits for it, up to `timeoutMs`;
 * - after that, a call is sent only while the connection is healthy: otherwise it fails at
 *   once with `STORE_UNAVAILABLE`, so that an outage costs evaluations nothing;
 * - a sent call is raced against what is left of `timeoutMs`; a timeout marks the connection
 *   unhealthy until the health probe answers in time again.
 */
export class ConnectionGate {
  readonly client: RedisClient;
  readonly #owned: boolean;
  readonly #timeoutMs: number;
  readonly #probe: HealthProbe;
  #healthy = false;
  /** Set once Redis answered, or once the connection went down: from then on, calls never wait. */
  #settled = false;
  #closed = false;
  readonly #waiters = new Waiters();
  #lastError: string | undefined;
  readonly #onReady = () => this.#probe.connected();
  readonly #onClose = () => {
    this.#healthy = false;
    this.#settled = true;
    this.#probe.disconnected();
    this.#waiters.wakeAll();
  };
  readonly #onError = (error: Error) => {
    this.#lastError = error.message;
  };

  constructor(client: RedisClient, owned: boolean, timeoutMs: number) {
    this.client = client;
    this.#owned = owned;
    this.#timeoutMs = timeoutMs;
    this.#probe = new HealthProbe(client, timeoutMs, () => {
      this.#healthy = true;
      this.#settled = true;
      this.#waiters.wakeAll();
    });
    client.on('ready', this.#onReady);
    client.on('close', this.#onClose);
    // ioredis prints errors nobody listens to; the store reports them through its rejections.
    // A client the user owns keeps the user's own error handling.
    if (owned) client.on('error', this.#onError);
    if (client.status === 'ready') this.#probe.connected();
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
    if (this.#healthy) return this.#send(what, started, send);
    if (this.#settled || !STARTING.has(this.client.status)) {
      return Promise.reject(this.#error('STORE_UNAVAILABLE', what));
    }
    return this.#waitHealthy(what, started).then(() => this.#send(what, started, send));
  }

  /** Marks the connection unhealthy (`why`: a call timed out) until the probe answers in time. */
  trip(why: string): void {
    if (!this.#healthy) return;
    this.#healthy = false;
    this.#probe.tripped(why);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#healthy = false;
    this.#probe.stop();
    this.#waiters.wakeAll();
    this.client.off('ready', this.#onReady);
    this.client.off('close', this.#onClose);
    if (!this.#owned || this.client.status === 'end') return;
    const ended = new Promise<void>((resolve) => this.client.once('end', () => resolve()));
    // Not connected, or too slow to say goodbye: the connection is dropped either way.
    await within(this.client.quit(), this.#timeoutMs).catch(noop);
    this.client.disconnect();
    await within(ended, this.#timeoutMs);
    this.client.off('error', this.#onError);
  }

  #send<T>(what: string, started: number, send: (scriptDeadline: number) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(this.#error('STORE_CLOSED', what));
    if (!this.#healthy) return Promise.reject(this.#error('STORE_UNAVAILABLE', what));
    const left = started + this.#timeoutMs - Date.now();
    if (left <= 0) return Promise.reject(this.#error('STORE_TIMEOUT', what));
    // The script must not run once the caller may have given up: leave the reply time to come back.
    const margin = Math.min(50, this.#timeoutMs / 4);
    const deadline = this.#probe.clock.toServer(started + this.#timeoutMs - margin);
    let sent: Promise<T>;
    try {
      sent = send(deadline);
    } catch (error) {
      return Promise.reject(error);
    }
    return within(sent, left).then(
      (reply) => {
        if (reply !== TIMED_OUT) return reply;
        this.trip(`${what} did not answer within ${this.#timeoutMs} ms`);
        throw this.#error('STORE_TIMEOUT', what);
      },
      (error: unknown) => {
        throw clientError(error, what);
      },
    );
  }

  async #waitHealthy(what: string, started: number): Promise<void> {
    if (this.client.status === 'wait') this.client.connect().catch(noop);
    if (await this.#waiters.wait(Math.max(0, started + this.#timeoutMs - Date.now()))) return;
    // Waited a whole timeout for the first connection: later calls fail fast until it is up.
    this.#settled = true;
    const why = `${what}: Redis was not ready within ${this.#timeoutMs} ms: ${this.#why()}`;
    throw new RedisStoreError('STORE_TIMEOUT', why);
  }

  /** Why calls are not sent: the connection is down, or the probe has not answered in time. */
  #why(): string {
    if (this.client.status === 'ready') return this.#probe.why;
    const last = this.#lastError === undefined ? '' : `, last error: ${this.#lastError}`;
    return `no connection (status ${this.client.status}${last})`;
  }

  #error(code: 'STORE_CLOSED' | 'STORE_TIMEOUT' | 'STORE_UNAVAILABLE', what: string): RedisStoreError {
    if (code === 'STORE_CLOSED') return new RedisStoreError(code, `${what}: the store is closed`);
    if (code === 'STORE_TIMEOUT') {
      return new RedisStoreError(code, `${what}: Redis did not answer within ${this.#timeoutMs} ms`);
    }
    return new RedisStoreError(code, `${what}: Redis unavailable: ${this.#why()}`);
  }
}
