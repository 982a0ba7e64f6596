import { parseStateKey, type StateEntry } from '@flagstate/core';
import { RedisStoreError } from '../redis-store-error.js';
import type { ConnectionGate } from './connection-gate.js';
import { decodeRecord } from './record-codec.js';
import type { RedisClient } from './redis-client.js';
import { scanKeys } from './scan-keys.js';

/**
 * Every record under `prefix`: SCAN pages, each read with its HGETALLs sent at once (ioredis
 * writes each command as it is called, so they travel pipelined; a cluster routes each by its
 * key's slot, which a pipeline object could not span).
 */
export async function* readEntries(
  gate: ConnectionGate,
  client: RedisClient,
  prefix: string,
): AsyncGenerator<StateEntry> {
  for await (const keys of scanKeys(gate, client, prefix)) {
    const replies = await gate.run('entries', () => Promise.all(keys.map((key) => readHash(client, key))));
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const reply = replies[i]!;
      if (reply instanceof Error) {
        throw new RedisStoreError('STORE_RECORD_INVALID', `${key}: ${reply.message}`, { cause: reply });
      }
      const record = decodeRecord(reply, key);
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

/** The key's hash, or the error Redis replied with (`WRONGTYPE`); a lost connection rejects. */
function readHash(client: RedisClient, key: string): Promise<Record<string, string> | Error> {
  return client.hgetall(key).catch((error: unknown) => {
    if (error instanceof Error && error.name === 'ReplyError') return error;
    throw error;
  });
}
