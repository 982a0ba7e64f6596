import { resolve } from 'node:path';

/** What one run of the demo does; every field has a default sized for a 20-second show. */
export interface DemoOptions {
  /**
   * How long the load generator runs; the rollout timeline is laid out proportionally.
   * @default 20_000 (DEMO_DURATION_MS)
   */
  readonly durationMs: number;
  /**
   * Simulated users, each with a targetingKey, a region and a plan.
   * @default 500 (DEMO_USERS)
   */
  readonly users: number;
  /**
   * Requests in flight at once.
   * @default 16 (DEMO_CONCURRENCY)
   */
  readonly concurrency: number;
  /**
   * Requests at most, whatever the duration: the run is bounded in time and in count.
   * @default users * 1000 (DEMO_MAX_REQUESTS)
   */
  readonly maxRequests: number;
  /**
   * Where flags.yaml and audit.ndjson are written; emptied of the previous run's files first.
   * @default ./flagstate-demo (DEMO_OUT_DIR), relative to the working directory: where
   * `pnpm demo` was typed (demo.ts moves there from the package directory pnpm starts it in)
   */
  readonly outDir: string;
  /**
   * canary's bake time (minDwell): a tenth of the duration, so that it shows in any run.
   * @default durationMs / 10
   */
  readonly minDwellMs: number;
  /**
   * After the load, how long the service waits for one more scrape of `/metrics` before it
   * stops, so that a Prometheus server scraping it holds the final counts; 0 does not wait.
   * @default 0 (DEMO_AWAIT_SCRAPE_MS)
   */
  readonly awaitScrapeMs: number;
}

/** Options from the environment (DEMO_DURATION_MS, DEMO_USERS, …), then from `overrides`. */
export function demoOptions(
  overrides: Partial<DemoOptions> = {},
  env: NodeJS.ProcessEnv = process.env,
): DemoOptions {
  const durationMs = overrides.durationMs ?? positive(env, 'DEMO_DURATION_MS', 20_000);
  const users = overrides.users ?? positive(env, 'DEMO_USERS', 500);
  return {
    durationMs,
    users,
    concurrency: overrides.concurrency ?? positive(env, 'DEMO_CONCURRENCY', 16),
    maxRequests: overrides.maxRequests ?? positive(env, 'DEMO_MAX_REQUESTS', users * 1000),
    outDir: resolve(overrides.outDir ?? env.DEMO_OUT_DIR ?? 'flagstate-demo'),
    minDwellMs: overrides.minDwellMs ?? Math.max(100, Math.round(durationMs / 10)),
    awaitScrapeMs: overrides.awaitScrapeMs ?? nonNegative(env, 'DEMO_AWAIT_SCRAPE_MS', 0),
  };
}

function nonNegative(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  return env[name]?.trim() === '0' ? 0 : positive(env, name, fallback);
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}
