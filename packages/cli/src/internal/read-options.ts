import { availableParallelism } from 'node:os';
import { UsageError } from '../usage-error.js';

/** Bytes sent to a worker at a time. */
export const CHUNK_BYTES = 1024 * 1024;
/** A longer line is skipped (and reported), never held: an audit record is about 1 KiB. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** Below this much input, starting worker threads costs more than it saves. */
const SMALL_INPUT = 8 * CHUNK_BYTES;

/** Commander parser for `--threads <n>`: a whole number, 0 for none. */
export function parseThreads(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    throw new UsageError(`--threads must be a whole number from 0 to 64, got "${value}"`);
  return n;
}

/**
 * One worker per core but one, up to 3: the main thread works on chunks too, whenever every
 * worker has its fill. On 2 cores, a worker and the main thread beat two workers (which, with
 * the main thread, share two cores three ways, and start a second copy of the library).
 * None on a single core, where a worker only adds copying.
 */
export function defaultThreads(): number {
  const cores = availableParallelism();
  return cores < 2 ? 0 : Math.min(cores - 1, 3);
}

/** The threads to use: as asked, or by default one per core unless the input is small. */
export function threadsFor(asked: number | undefined, inputBytes: number): number {
  if (asked !== undefined) return asked;
  return inputBytes < SMALL_INPUT ? 0 : defaultThreads();
}
