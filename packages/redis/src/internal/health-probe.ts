import { connectMasters } from './connect-masters.js';
import type { RedisClient } from './redis-client.js';
import { ServerClock, sampleClock } from './server-clock.js';
import { TIMED_OUT, within } from './within.js';

/** `TIME` round trips per connection for the clock offset; the probe's is the first. */
const CLOCK_SAMPLES = 3;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Decides when a connection is healthy: one `TIME` answering within `timeoutMs` (on a
 * cluster, after a PING on every master's connection: see connect-masters.ts), at each `ready`
 * and then every `min(timeoutMs, 1 s)` (at least 50 ms) while it is not. The probe's
 * reply is also the connection's first clock sample. The other samples follow in the
 * background, one at a time, each within its own `timeoutMs`, and never hold calls back: a
 * round trip of a third of `timeoutMs` must not keep the store unhealthy.
 */
export class HealthProbe {
  readonly clock = new ServerClock();
  /** Why the connection is not healthy, for the messages of calls that fail because of it. */
  why = 'not connected yet';
  readonly #client: RedisClient;
  readonly #timeoutMs: number;
  readonly #everyMs: number;
  readonly #onHealthy: () => void;
  /** Counts connections: a probe or sample from an earlier one is ignored. */
  #connection = 0;
  #probing: number | undefined;
  #syncing: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(client: RedisClient, timeoutMs: number, onHealthy: () => void) {
    this.#client = client;
    this.#timeoutMs = timeoutMs;
    this.#everyMs = Math.max(50, Math.min(timeoutMs, 1_000));
    this.#onHealthy = onHealthy;
  }

  /** A connection is ready: probe it now. */
  connected(): void {
    this.why = 'connected, but the probe (TIME) has not answered yet';
    this.#probe();
  }

  /** The connection dropped: its clock is measured again on the next one. */
  disconnected(): void {
    this.#connection++;
    this.clock.reset();
  }

  /** A call timed out (`why`): probe again after the interval. */
  tripped(why: string): void {
    this.why = `${why}; waiting for the probe (TIME) to answer in time`;
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }

  #probe(): void {
    const connection = this.#connection;
    if (this.#stopped || this.#probing === connection) return;
    this.#probing = connection;
    const client = this.#client;
    within(
      connectMasters(client).then(() => sampleClock(client)),
      this.#timeoutMs,
    )
      .then(
        (sample) => {
          if (connection !== this.#connection || this.#stopped) return;
          if (sample === TIMED_OUT) {
            this.#failed(`the probe (TIME) did not answer within ${this.#timeoutMs} ms`);
            return;
          }
          this.clock.add(sample);
          this.why = '';
          this.#onHealthy();
          void this.#syncClock(connection);
        },
        (error: unknown) => {
          if (connection === this.#connection && !this.#stopped) {
            this.#failed(`the probe (TIME) failed: ${describe(error)}`);
          }
        },
      )
      .finally(() => {
        if (this.#probing === connection) this.#probing = undefined;
      });
  }

  #failed(why: string): void {
    this.why = `${why}; probing again every ${this.#everyMs} ms`;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // A connection that is down probes itself: its next 'ready' calls connected().
      if (this.#client.status === 'ready') this.#probe();
    }, this.#everyMs);
    this.#timer.unref?.();
  }

  /** The connection's other clock samples, one at a time, each within `timeoutMs`. */
  async #syncClock(connection: number): Promise<void> {
    if (this.#syncing === connection) return;
    this.#syncing = connection;
    try {
      while (this.clock.samples < CLOCK_SAMPLES && connection === this.#connection && !this.#stopped) {
        const sample = await within(sampleClock(this.#client), this.#timeoutMs);
        // A slow sample is left out; the next successful probe takes another.
        if (sample === TIMED_OUT || connection !== this.#connection) return;
        this.clock.add(sample);
      }
    } catch {
      // The connection dropped: the next one measures its clock afresh.
    } finally {
      if (this.#syncing === connection) this.#syncing = undefined;
    }
  }
}
