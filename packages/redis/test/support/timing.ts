// Measuring how long calls take on a busy machine, without mistaking its stalls for the store's.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisStateStore } from '@flagstate/redis';
import { onTestFinished } from 'vitest';

/** How long a promise (or value) took to settle, and how. */
export async function timed<T>(promise: T | Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await promise;
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

/** Waits until `check()` holds, failing after `ms`. */
export async function until(check: () => boolean, ms: number, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not true within ${ms} ms`);
    await sleep(10);
  }
}

/**
 * Waits until the store is healthy (connected, and its probe answered), so that a test's
 * timed part does not also time a first connection on a loaded machine.
 */
export function untilHealthy(store: RedisStateStore, ms = 10_000): Promise<void> {
  return until(() => store.healthy, ms, 'store healthy');
}

/**
 * The longest this process's timers ran late since the call, for the rest of the test: a
 * busy machine delays a timeout's timer by that much, and that is not the store's delay. A
 * store that hangs does not stall the event loop, so adding this to a bound keeps it sharp.
 */
export function watchStalls(): () => number {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  onTestFinished(() => {
    histogram.disable();
  });
  return () => histogram.max / 1e6;
}
