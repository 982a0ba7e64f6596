import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { median } from './report.js';

setFlagsFromString('--expose-gc');
/** A full collection, exposed at run time: `pnpm bench` starts its groups without flags. */
const gc = runInNewContext('gc') as () => void;

/** Calls per window: small enough that the young generation never fills within one. */
const CALLS = 500;
const WINDOWS = 21;

/**
 * Heap bytes allocated per call of `fn` (awaited), the median over windows that each start
 * right after a full collection: what stays in the heap at the window's end is what the calls
 * allocated, since no collection ran within it.
 */
export async function heapPerCall(fn: () => unknown): Promise<number> {
  for (let i = 0; i < CALLS; i++) await fn();
  const samples: number[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < CALLS; i++) await fn();
    samples.push((process.memoryUsage().heapUsed - before) / CALLS);
  }
  return median(samples);
}
