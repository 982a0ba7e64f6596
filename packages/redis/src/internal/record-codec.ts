import { type StateRecord, stateRecord } from '@flagstate/core';
import { RedisStoreError } from '../redis-store-error.js';

/**
 * A record is a Redis hash, readable with `redis-cli HGETALL`: `state`, `version`,
 * `machineVersion`, `enteredAt` (epoch ms), `stale` ("1" or "0"), only when the provider
 * holds the subject back `pending`, and only while `state` is not a state of the machine
 * `lastKnown`.
 */
export function casArguments(
  expectedVersion: number,
  deadline: number,
  ttlMs: number,
  record: StateRecord,
): string[] {
  const args = [
    String(expectedVersion),
    String(deadline),
    String(ttlMs),
    record.state,
    String(record.version),
    String(record.machineVersion),
    String(record.enteredAt),
    record.stale === true ? '1' : '0',
  ];
  // State names are never empty, so "" says "none".
  args.push(record.pending ?? '', record.lastKnown ?? '');
  return args;
}

/** Why `text` is not a safe integer of at least `min`, or `undefined` when it is one. */
function notInteger(text: string | undefined, min: number): string | undefined {
  if (text === undefined) return `missing, expected an integer >= ${min}`;
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    return `${JSON.stringify(text)}, expected an integer >= ${min}`;
  }
  return undefined;
}

/** The first field that does not hold what a record needs there, and why. */
function badField(hash: Readonly<Record<string, string>>): string | undefined {
  if (hash.state === undefined || hash.state === '') {
    return `"state" is ${hash.state === undefined ? 'missing' : 'empty'}, expected the state's name`;
  }
  const version = notInteger(hash.version, 1);
  if (version !== undefined) return `"version" is ${version}`;
  const machineVersion = notInteger(hash.machineVersion, 1);
  if (machineVersion !== undefined) return `"machineVersion" is ${machineVersion}`;
  const { enteredAt, stale } = hash;
  if (enteredAt === undefined || enteredAt.trim() === '' || !Number.isFinite(Number(enteredAt))) {
    const got = enteredAt === undefined ? 'missing' : JSON.stringify(enteredAt);
    return `"enteredAt" is ${got}, expected epoch milliseconds`;
  }
  if (stale !== undefined && stale !== '0' && stale !== '1') {
    return `"stale" is ${JSON.stringify(stale)}, expected "0" or "1"`;
  }
  return undefined;
}

/**
 * The record a hash holds, shaped as core's `stateRecord()` builds it; `undefined` for an
 * empty hash (no such key). A hash that is not a record rejects with `STORE_RECORD_INVALID`,
 * naming the first bad field and what it should hold.
 */
export function decodeRecord(hash: Readonly<Record<string, string>>, key: string): StateRecord | undefined {
  if (Object.keys(hash).length === 0) return undefined;
  const bad = badField(hash);
  if (bad !== undefined) {
    throw new RedisStoreError('STORE_RECORD_INVALID', `${key} does not hold a state record: field ${bad}`);
  }
  const { state, version, machineVersion, enteredAt, pending, stale, lastKnown } = hash;
  return stateRecord(
    state!,
    Number(version),
    Number(machineVersion),
    Number(enteredAt),
    pending,
    stale === '1',
    lastKnown,
  );
}
