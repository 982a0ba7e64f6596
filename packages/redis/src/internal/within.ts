/** What `within` resolves to when the promise has not settled in time. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * `promise`'s outcome if it settles within `ms`, else `TIMED_OUT`. The promise keeps its
 * handlers, so a rejection after the time is up is not reported as unhandled.
 */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
