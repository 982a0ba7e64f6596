import type { RedisStateStoreOptions } from '../redis-state-store-options.js';

export interface ResolvedOptions {
  readonly keyPrefix: string;
  /** 0: records never expire. */
  readonly ttlMs: number;
  readonly timeoutMs: number;
  /** `window`: the time-bound cache of `nearCacheMs`. */
  readonly nearCache: 'tracking' | 'window' | 'off';
  /** 0: no time-bound cache. */
  readonly nearCacheMs: number;
  readonly nearCacheMaxSubjects: number;
}

/** The options with their defaults; a value out of range throws a RangeError naming it. */
export function resolveOptions(options: RedisStateStoreOptions): ResolvedOptions {
  const { keyPrefix = 'flagstate:', ttlMs, timeoutMs = 250, nearCacheMs = 0 } = options;
  const { nearCacheMaxSubjects = 10_000 } = options;
  if (ttlMs !== undefined && !(Number.isInteger(ttlMs) && ttlMs > 0)) {
    throw new RangeError(`ttlMs must be a positive integer, got ${ttlMs}`);
  }
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  }
  if (!(Number.isFinite(nearCacheMs) && nearCacheMs >= 0)) {
    throw new RangeError(`nearCacheMs must be 0 or more, got ${nearCacheMs}`);
  }
  if (!(Number.isInteger(nearCacheMaxSubjects) && nearCacheMaxSubjects > 0)) {
    throw new RangeError(`nearCacheMaxSubjects must be a positive integer, got ${nearCacheMaxSubjects}`);
  }
  return {
    keyPrefix,
    ttlMs: ttlMs ?? 0,
    timeoutMs,
    nearCache: nearCacheMode(options.nearCache, nearCacheMs),
    nearCacheMs,
    nearCacheMaxSubjects,
  };
}

function nearCacheMode(
  asked: RedisStateStoreOptions['nearCache'],
  nearCacheMs: number,
): ResolvedOptions['nearCache'] {
  if (asked !== undefined && asked !== 'tracking' && asked !== 'off') {
    throw new RangeError(`nearCache must be "tracking" or "off", got ${JSON.stringify(asked)}`);
  }
  if (asked === 'tracking' && nearCacheMs > 0) {
    throw new RangeError('nearCache "tracking" cannot be combined with nearCacheMs (the time-bound cache)');
  }
  if (nearCacheMs > 0) return 'window';
  return asked === 'off' ? 'off' : 'tracking';
}
