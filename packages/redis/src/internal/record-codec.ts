import { type StateRecord, stateRecord } from '@flagstate/core';
import { RedisStoreError } from '../redis-store-error.js';

/**
 * A record is a Redis hash, readable with `redis-cli HGETALL`: `state`, `version`,
 * `machineVersion`, `enteredAt` (epoch ms), `stale` ("1" or "0") and, only when the provider
 * holds the subject back, `pending`.
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
  if (record.pending !== undefined) args.push(record.pending);
  return args;
}

const integer = (text: string | undefined) => {
  const n = Number(text);
  return text !== undefined && text !== '' && Number.isSafeInteger(n) ? n : undefined;
};

/**
 * The record a hash holds, shaped as core's `stateRecord()` builds it; `undefined` for an
 * empty hash (no such key). A hash that is not a record rejects with `STORE_RECORD_INVALID`.
 */
export function decodeRecord(hash: Readonly<Record<string, string>>, key: string): StateRecord | undefined {
  const { state, version, machineVersion, enteredAt, pending, stale } = hash;
  if (state === undefined && version === undefined && Object.keys(hash).length === 0) return undefined;
  const v = integer(version);
  const mv = integer(machineVersion);
  const at = enteredAt === undefined || enteredAt === '' ? Number.NaN : Number(enteredAt);
  if (state === undefined || v === undefined || v < 1 || mv === undefined || !Number.isFinite(at)) {
    throw new RedisStoreError('STORE_RECORD_INVALID', `${key} does not hold a state record`);
  }
  return stateRecord(state, v, mv, at, pending, stale === '1');
}
