import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../src/records/internal/iso-time.js';

describe('isoTime', () => {
  it('is toISOString for any time, however the times before it fell', () => {
    // Times near one another (within and across seconds) and anywhere in Date's range.
    const near = fc.tuple(
      fc.integer({ min: -8.64e15 + 5000, max: 8.64e15 - 5000 }),
      fc.array(fc.integer({ min: -2500, max: 2500 }), { maxLength: 8 }),
    );
    fc.assert(
      fc.property(near, fc.double({ min: -1e13, max: 1e13, noNaN: true }), ([base, steps], odd) => {
        for (const ms of [base, ...steps.map((d) => base + d), odd]) {
          expect(isoTime(ms)).toBe(new Date(ms).toISOString());
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('throws as toISOString does for a time that is not one', () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
  });
});
