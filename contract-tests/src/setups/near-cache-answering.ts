import type { RedisStateStore } from '@flagstate/redis';
import { vi } from 'vitest';

/**
 * Waits until the store's tracking near-cache (its default) answers, so that the contracts run
 * over it rather than racing its start; fails naming the setup and why it does not.
 */
export async function nearCacheAnswering(setup: string, store: RedisStateStore): Promise<void> {
  await vi.waitFor(
    () => {
      if (!store.nearCacheActive)
        throw new Error(`${setup}: the tracking near-cache is not answering: ${store.nearCacheStatus}`);
    },
    { timeout: 2_000, interval: 5 }, // within a short contract's 5 s
  );
}

/** Fails a run whose near-cache stopped answering before its end (read before the store closed). */
export function nearCacheAnsweredToTheEnd(
  setup: string,
  answering: { nearCacheActive: boolean; nearCacheStatus: string },
): void {
  if (!answering.nearCacheActive)
    throw new Error(`${setup}: the tracking near-cache stopped answering: ${answering.nearCacheStatus}`);
}
