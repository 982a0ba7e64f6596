import type { Redis } from 'ioredis';

/**
 * How far Redis's clock is ahead of ours, in ms: the best of a few `TIME` round trips (the
 * one with the shortest round trip bounds the error by half of it). Compare-and-set deadlines
 * are sent on Redis's clock, so that skew between hosts does not move them. `undefined` when
 * Redis refuses `TIME` (a renamed or disabled command): scripts then carry no deadline.
 */
export async function measureClockOffset(client: Redis, samples = 3): Promise<number | undefined> {
  let best = Number.POSITIVE_INFINITY;
  let offset = 0;
  for (let i = 0; i < samples; i++) {
    const before = Date.now();
    let reply: unknown[];
    try {
      reply = await client.time();
    } catch (error) {
      if (error instanceof Error && error.name === 'ReplyError') return undefined;
      throw error;
    }
    const after = Date.now();
    const server = Number(reply[0]) * 1000 + Math.floor(Number(reply[1]) / 1000);
    if (!Number.isFinite(server)) return undefined;
    if (after - before < best) {
      best = after - before;
      offset = server - (before + after) / 2;
    }
  }
  return Math.round(offset);
}
