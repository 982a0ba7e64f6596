import type { SimulatedUser } from './simulated-users.js';

export interface LoadOptions {
  readonly baseUrl: string;
  readonly users: readonly SimulatedUser[];
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Stop sending after this long… */
  readonly durationMs: number;
  /** …or after this many requests, whichever comes first. */
  readonly maxRequests: number;
}

/** What the load generator saw from the client side. */
export class LoadStats {
  sent = 0;
  ok = 0;
  /** Non-200 answers and failed requests. */
  failed = 0;
  /** 200 answers by the `variant` the service returned. */
  readonly byVariant = new Map<string, number>();
  lastError: string | undefined;
}

/**
 * Drives `/checkout` over loopback: `concurrency` workers take users round-robin, so that
 * every user is seen again and again, until the time or the request budget runs out.
 * Never rejects: failures are counted.
 */
export async function runLoad(options: LoadOptions, stats = new LoadStats()): Promise<LoadStats> {
  const { baseUrl, users, concurrency, durationMs, maxRequests } = options;
  const deadline = performance.now() + durationMs;
  const urls = users.map(
    (u) =>
      `${baseUrl}/checkout?${new URLSearchParams({ user: u.targetingKey, region: u.region, plan: u.plan })}`,
  );
  let next = 0;
  const worker = async () => {
    while (performance.now() < deadline && next < maxRequests) {
      const url = urls[next++ % urls.length]!;
      stats.sent++;
      try {
        const response = await fetch(url);
        const body = (await response.json()) as { variant?: string };
        if (response.ok && typeof body.variant === 'string') {
          stats.ok++;
          stats.byVariant.set(body.variant, (stats.byVariant.get(body.variant) ?? 0) + 1);
        } else {
          stats.failed++;
          stats.lastError = `HTTP ${response.status}: ${JSON.stringify(body)}`;
        }
      } catch (error) {
        stats.failed++;
        stats.lastError = String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return stats;
}
