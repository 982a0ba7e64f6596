import type { Redis } from 'ioredis';
import type { ConnectionGate } from './connection-gate.js';

/** `prefix` as a SCAN/KEYS glob matching exactly the keys that start with it. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
}

/**
 * The keys under `prefix`, a SCAN page at a time, each key once (SCAN may return a key twice
 * while Redis rehashes). Each page is one bounded call; nothing blocks Redis.
 */
export async function* scanKeys(
  gate: ConnectionGate,
  client: Redis,
  prefix: string,
  count = 500,
): AsyncGenerator<string[]> {
  const pattern = prefixPattern(prefix);
  const seen = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await gate.run('scan', () => client.scan(cursor, 'MATCH', pattern, 'COUNT', count));
    cursor = next;
    const fresh = keys.filter((key) => !seen.has(key));
    for (const key of fresh) seen.add(key);
    if (fresh.length > 0) yield fresh;
  } while (cursor !== '0');
}
