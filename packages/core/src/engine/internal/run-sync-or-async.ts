import { isPromise } from '@flagstate/audit/internal';

/**
 * Runs a generator that yields store results, resuming it synchronously while they are plain
 * values and switching to promises only once one is a promise. So a synchronous store never
 * creates a promise, and an asynchronous one needs no second copy of the logic.
 */
export function runSyncOrAsync<T>(steps: Generator<unknown, T, unknown>): T | Promise<T> {
  let step = steps.next();
  while (!step.done) {
    const value = step.value;
    if (isPromise(value))
      return value.then(
        (v) => runAsync(steps, v),
        (e) => runAsync(steps, e, true),
      );
    step = steps.next(value);
  }
  return step.value;
}

async function runAsync<T>(
  steps: Generator<unknown, T, unknown>,
  value: unknown,
  thrown = false,
): Promise<T> {
  let step = thrown ? steps.throw(value) : steps.next(value);
  while (!step.done) step = steps.next(await step.value);
  return step.value;
}
