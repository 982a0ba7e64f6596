const ZERO = 0x30;
const DOT = 0x2e;
const Z = 0x5a;
/** `YYYY-MM-DDTHH:MM:SS`, hours 00 to 23 (Date.parse's T24:00:00 is valid only at .000). */
const SECOND = /^\d{4}-\d\d-\d\dT([01]\d|2[0-3]):\d\d:\d\d$/;

/**
 * The two seconds parsed last, as `YYYY-MM-DDTHH:MM:SS` (checked against SECOND), and their time
 * in ms: the records of a log share seconds, and a record's `@timestamp` and `entered_at`
 * alternate with each other.
 */
const last = { aSecond: '\0', aBase: 0, bSecond: '\0', bBase: 0, aNewer: false };

/**
 * `Date.parse(text)`, at a fraction of its cost for the form the audit log writes,
 * `2026-11-23T10:15:30.123Z`, in a second parsed last: the second is parsed once, by Date.parse,
 * and the milliseconds are added. Every other text goes to Date.parse whole, so the result is
 * always Date.parse's (iso-time-value.test.ts checks it on random texts).
 */
export function isoTimeValue(text: string): number {
  if (text.length !== 24 || text.charCodeAt(19) !== DOT || text.charCodeAt(23) !== Z) return Date.parse(text);
  const ms = digit(text, 20) * 100 + digit(text, 21) * 10 + digit(text, 22);
  if (!(ms >= 0)) return Date.parse(text);
  const seconds = last;
  // A slice and ===, measured: startsWith costs half as much again, a loop over the characters more.
  const second = text.slice(0, 19);
  if (second === seconds.aSecond) {
    seconds.aNewer = true;
    return seconds.aBase + ms;
  }
  if (second === seconds.bSecond) {
    seconds.aNewer = false;
    return seconds.bBase + ms;
  }
  if (!SECOND.test(second)) return Date.parse(text);
  // Only the milliseconds differ: dates out of range are Date.parse's to judge, in this form.
  const base = Date.parse(`${second}.000Z`);
  if (seconds.aNewer) {
    seconds.bSecond = second;
    seconds.bBase = base;
  } else {
    seconds.aSecond = second;
    seconds.aBase = base;
  }
  seconds.aNewer = !seconds.aNewer;
  return base + ms;
}

/** The digit at `at`, or NaN. */
function digit(text: string, at: number): number {
  const d = text.charCodeAt(at) - ZERO;
  return d >= 0 && d <= 9 ? d : Number.NaN;
}
