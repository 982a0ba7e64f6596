/** Where the engine reads the time; inject one in tests to move time without sleeping. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: Date.now };
