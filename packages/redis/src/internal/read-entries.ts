import { parseStateKey, type StateEntry } from '@flagstate/core';
import type { Redis } from 'ioredis';
import { RedisStoreError } from '../redis-store-error.js';
import type { ConnectionGate } from './connection-gate.js';
import { decodeRecord } from './record-codec.js';
import { scanKeys } from './scan-keys.js';

/** Every record under `prefix`: SCAN pages, each read with one pipeline of HGETALLs. */
export async function* readEntries(
  gate: ConnectionGate,
  client: Redis,
  prefix: string,
): AsyncGenerator<StateEntry> {
  for await (const keys of scanKeys(gate, client, prefix)) {
    const replies = await gate.run('entries', async () => {
      const pipeline = client.pipeline();
      for (const key of keys) pipeline.hgetall(key);
      return (await pipeline.exec()) ?? [];
    });
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const [error, hash] = replies[i] ?? [new Error('missing pipeline reply'), undefined];
      if (error !== null) {
        throw new RedisStoreError('STORE_RECORD_INVALID', `${key}: ${error.message}`, { cause: error });
      }
      const record = decodeRecord(hash as Record<string, string>, key);
      if (record === undefined) continue; // deleted or expired since SCAN listed it
      yield { ...parseKey(key, prefix), record };
    }
  }
}

function parseKey(key: string, prefix: string): { machine: string; subject: string } {
  try {
    return parseStateKey(key, prefix);
  } catch (error) {
    throw new RedisStoreError('STORE_RECORD_INVALID', `${key} is not a state key`, { cause: error });
  }
}
