import type { RedisClient } from './redis-client.js';

/** One `TIME` round trip. */
export interface ClockSample {
  /** Redis's clock minus ours, in ms; `undefined` when Redis refuses `TIME`. */
  readonly offsetMs: number | undefined;
  readonly roundTripMs: number;
}

/**
 * Asks Redis for its time. A reply error (`TIME` renamed or disabled) is still an answer, so
 * it proves Redis is there: it gives a sample without an offset. A lost connection rejects.
 */
export async function sampleClock(client: RedisClient): Promise<ClockSample> {
  const before = Date.now();
  let reply: unknown[];
  try {
    reply = await client.time();
  } catch (error) {
    if (error instanceof Error && error.name === 'ReplyError') {
      return { offsetMs: undefined, roundTripMs: Date.now() - before };
    }
    throw error;
  }
  const after = Date.now();
  const server = Number(reply[0]) * 1000 + Math.floor(Number(reply[1]) / 1000);
  const offsetMs = Number.isFinite(server) ? Math.round(server - (before + after) / 2) : undefined;
  return { offsetMs, roundTripMs: after - before };
}

/**
 * Redis's clock, as measured on the current connection. Compare-and-set deadlines are sent on
 * it, so that skew between hosts does not move them. Of the samples taken, the one with the
 * shortest round trip wins: its error is at most half that round trip.
 */
export class ServerClock {
  #best: ClockSample | undefined;
  #samples = 0;

  /** Samples taken on this connection (each one that answered, with or without an offset). */
  get samples(): number {
    return this.#samples;
  }

  add(sample: ClockSample): void {
    this.#samples++;
    if (sample.offsetMs === undefined) return;
    if (this.#best === undefined || sample.roundTripMs < this.#best.roundTripMs) this.#best = sample;
  }

  /** A new connection: its clock is measured again. */
  reset(): void {
    this.#best = undefined;
    this.#samples = 0;
  }

  /** `epochMs` (our clock) on Redis's clock, or 0, meaning no deadline, while it is unknown. */
  toServer(epochMs: number): number {
    return this.#best === undefined ? 0 : Math.floor(epochMs + this.#best.offsetMs!);
  }
}
