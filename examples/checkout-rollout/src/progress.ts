import type { StateStore } from '@flagstate/core';
import type { ConsoleReporter } from './console-reporter.js';
import type { LoadStats } from './load-generator.js';

export interface ProgressSources {
  readonly reporter: ConsoleReporter;
  readonly startedAt: number;
  readonly load: LoadStats;
  /** The store serving now (a restart replaces it). */
  readonly store: () => StateStore;
  /** Audit records written so far, over every lifetime of the provider. */
  readonly records: () => number;
  /** What the flag file says right now, e.g. `v2 50%`. */
  readonly phase: () => string;
}

/** Shows the progress line until the returned function is called. */
export function startProgress(sources: ProgressSources): () => void {
  const { reporter, startedAt, load, store, records, phase } = sources;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const counts = new Map<string, number>();
      for await (const { record } of store().entries?.() ?? []) {
        counts.set(record.state, (counts.get(record.state) ?? 0) + 1);
      }
      const seconds = (performance.now() - startedAt) / 1000;
      const states = ['legacy', 'canary', 'v2'].map((s) => `${s} ${counts.get(s) ?? 0}`).join(' · ');
      reporter.progress(
        `[${seconds.toFixed(1).padStart(5)}s] ${phase()} | ${load.sent} req (${Math.round(load.sent / Math.max(seconds, 0.001))}/s) | ` +
          `${states} | audit ${records()} records`,
      );
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), reporter.tickMs);
  void tick();
  return () => {
    clearInterval(timer);
    reporter.done();
  };
}
