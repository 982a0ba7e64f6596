import type { ConnectionGate } from './connection-gate.js';
import { masters, type RedisClient } from './redis-client.js';

/** `prefix` as a SCAN/KEYS glob matching exactly the keys that start with it. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
}

/**
 * The keys under `prefix`, a SCAN page at a time, each key once (SCAN may return a key twice
 * while Redis rehashes), on every master of a cluster in turn. Each page is one bounded call;
 * nothing blocks Redis.
 */
export async function* scanKeys(
  gate: ConnectionGate,
  client: RedisClient,
  prefix: string,
  count = 500,
): AsyncGenerator<string[]> {
  const pattern = prefixPattern(prefix);
  const seen = new Set<string>();
  // Through the gate, so that a cluster that has not connected yet is waited for (it knows no nodes).
  const nodes = await gate.run('scan', () => Promise.resolve(masters(client)));
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await gate.run('scan', () => node.scan(cursor, 'MATCH', pattern, 'COUNT', count));
      cursor = next;
      const fresh = keys.filter((key) => !seen.has(key));
      for (const key of fresh) seen.add(key);
      if (fresh.length > 0) yield fresh;
    } while (cursor !== '0');
  }
}
