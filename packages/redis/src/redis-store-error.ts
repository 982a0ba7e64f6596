import { FlagstateError } from '@flagstate/core';

/**
 * Why a RedisStateStore call failed:
 * - `STORE_TIMEOUT`: Redis did not answer within `timeoutMs`. For a compare-and-set, Redis
 *   refuses to apply the script once its deadline has passed, so a timed-out write is not
 *   applied later (see the README for the one case that stays ambiguous).
 * - `STORE_UNAVAILABLE`: the connection is down, or its health probe (`TIME`) has not answered
 *   within `timeoutMs` since it connected or since a call timed out; the call failed without
 *   sending anything, and the message says which.
 * - `STORE_CLOSED`: `close()` was called.
 * - `STORE_RECORD_INVALID`: a key under the prefix does not hold a state record.
 */
export type RedisStoreErrorCode =
  | 'STORE_TIMEOUT'
  | 'STORE_UNAVAILABLE'
  | 'STORE_CLOSED'
  | 'STORE_RECORD_INVALID';

/** The error every failed RedisStateStore call rejects with. */
export class RedisStoreError extends FlagstateError {
  readonly code: RedisStoreErrorCode;

  constructor(code: RedisStoreErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
