import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTimeValue } from '../src/internal/iso-time-value.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Each field over its range and a little past it, where Date.parse's rules decide. */
const isoText = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(1970, 2026, 9999, 0)),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.oneof(fc.integer({ min: 0, max: 25 }), fc.constantFrom(23, 24)),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    ms: fc.oneof(fc.integer({ min: 0, max: 999 }), fc.constant(0)),
  })
  .map(
    ({ year, month, day, hour, minute, second, ms }) =>
      `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(ms, 3)}Z`,
  );
/** An ISO text with one character replaced, inserted or removed. */
const edited = fc
  .tuple(
    isoText,
    fc.nat(24),
    fc.constantFrom('', '0', '9', ' ', 'T', 'Z', '+', '-', ':', '.', 'x'),
    fc.nat(2),
  )
  .map(([text, at, c, how]) =>
    how === 0
      ? text.slice(0, at) + c + text.slice(at + 1)
      : how === 1
        ? text.slice(0, at) + c + text.slice(at)
        : text.slice(0, at) + text.slice(at + 1),
  );
/** Texts sharing a few seconds, as a log's do, so that the seconds remembered are used. */
const run = fc
  .array(fc.oneof(isoText, edited, fc.string({ maxLength: 30 })), { minLength: 1, maxLength: 6 })
  .chain((seeds) =>
    fc.array(
      fc.tuple(fc.constantFrom(...seeds), fc.integer({ min: 0, max: 999 })).map(([seed, ms]) =>
        // The same second with other milliseconds, when the seed has the form.
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(seed) ? `${seed.slice(0, 20)}${pad(ms, 3)}Z` : seed,
      ),
      { minLength: 1, maxLength: 40 },
    ),
  );

describe('isoTimeValue', () => {
  it('is Date.parse of any text, in any order', () => {
    fc.assert(
      fc.property(run, (texts) => {
        for (const text of texts) expect(Object.is(isoTimeValue(text), Date.parse(text)), text).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads the log’s own form, and leaves T24:00:00 to Date.parse', () => {
    expect(isoTimeValue('2026-11-23T10:15:30.123Z')).toBe(Date.UTC(2026, 10, 23, 10, 15, 30, 123));
    expect(isoTimeValue('2026-11-23T10:15:30.999Z')).toBe(Date.UTC(2026, 10, 23, 10, 15, 30, 999));
    expect(isoTimeValue('2026-11-23T24:00:00.000Z')).toBe(Date.parse('2026-11-23T24:00:00.000Z'));
    expect(isoTimeValue('2026-11-23T24:00:00.001Z')).toBe(Date.parse('2026-11-23T24:00:00.001Z'));
    expect(isoTimeValue('2026-02-30T10:15:30.123Z')).toBe(Date.parse('2026-02-30T10:15:30.123Z'));
  });
});
