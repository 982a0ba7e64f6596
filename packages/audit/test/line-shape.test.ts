import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/internal/canonical-json.js';
import { type ScannedObject, scanCanonicalObject } from '../src/verify/internal/canonical-scan.js';
import { forgetShapes } from '../src/verify/internal/line-shape.js';
import { auditLines } from './support/audit-lines.js';

/** Every member a scan recorded (those of the top level and of its objects), as found by key. */
function table(s: ScannedObject | undefined, text: string): unknown {
  if (s === undefined) return undefined;
  const parsed = JSON.parse(text) as Record<string, unknown>;
  const rows: unknown[] = [];
  for (const [key, v] of Object.entries(parsed)) {
    const m = s.find(-1, key);
    rows.push([key, m, s.memberStart(m), s.valueStart(m), s.valueEnd(m), s.value(m)]);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const inner of Object.keys(v)) {
        const c = s.find(m, inner);
        rows.push([key, inner, c, s.memberStart(c), s.valueStart(c), s.valueEnd(c), s.value(c)]);
      }
    }
  }
  return rows;
}

/** The scan of `text` with no shape known: token by token. */
function scannedAlone(text: string): unknown {
  forgetShapes();
  return table(scanCanonicalObject(text), text);
}

/** Plain strings, so that the holes of a canonical text can be found by a regex in the test. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: strings with control characters are left out on purpose.
const plain = fc.string().filter((s) => !/["\\\u0000-\u001f]/.test(s) && s.isWellFormed());
const record = fc.dictionary(
  plain,
  fc.oneof(plain, fc.integer(), fc.dictionary(plain, fc.oneof(plain, fc.integer(), fc.boolean()))),
  { minKeys: 1 },
);
/** What may be put in place of a value: canonical or not, JSON or not. */
const replacement = fc.oneof(
  plain,
  fc.constantFrom(
    '"',
    '\\',
    '\\n',
    '\u0001',
    '\ud800',
    '1.5',
    '-0',
    '01',
    '1e3',
    '9999999999999999',
    ':',
    ',',
    '}',
    '',
  ),
  fc.string(),
);

/** `text` with the content of its `n`th value (a string's or an integer's) replaced. */
function replaceValue(text: string, n: number, by: string): string {
  const holes = [...text.matchAll(/"([^"]*)"(?!:)|(?<=[:,[])(-?\d+)/g)];
  if (holes.length === 0) return text;
  const hole = holes[n % holes.length]!;
  const isString = hole[1] !== undefined;
  const start = hole.index! + (isString ? 1 : 0);
  const end = start + (isString ? hole[1]!.length : hole[2]!.length);
  return text.slice(0, start) + by + text.slice(end);
}

describe('line shapes', () => {
  it('give a line of a known shape the verdict and member table of a scan token by token', () => {
    // A value's content replaced, or one character anywhere (the structure too).
    const edit = fc.oneof(
      fc.tuple(fc.constant('value' as const), fc.nat(), replacement),
      fc.tuple(
        fc.constant('char' as const),
        fc.nat(),
        fc.constantFrom('"', ':', ',', '{', '}', '[', '0', 'a', 'é'),
      ),
    );
    const edits = fc.array(edit, { maxLength: 4 });
    fc.assert(
      // Lines one after the other, so that the values seen to vary are taken out of the shape's
      // folded pattern while the later ones are matched.
      fc.property(record, fc.array(edits, { minLength: 1, maxLength: 5 }), (value, lines) => {
        const learned = canonicalJson(value)!;
        const texts = lines.map((e) =>
          e.reduce(
            (text, [kind, n, by]) =>
              kind === 'value'
                ? replaceValue(text, n, by)
                : text.slice(0, n % text.length) + by + text.slice((n % text.length) + 1),
            learned,
          ),
        );
        const alone = texts.map(scannedAlone);
        forgetShapes();
        expect(scanCanonicalObject(learned)).toBeDefined();
        // The shape of `learned` is known now; each text has it unless an edit changed its structure.
        texts.forEach((text, i) => {
          expect(table(scanCanonicalObject(text), text)).toEqual(alone[i]);
          if (alone[i] !== undefined) expect(canonicalJson(JSON.parse(text))).toBe(text);
        });
      }),
      { numRuns: 3_000 },
    );
  });

  it('read every line of an audit stream where a scan token by token reads it', async () => {
    const lines = await auditLines(20);
    const alone = lines.map(scannedAlone);
    forgetShapes();
    expect(lines.map((l) => table(scanCanonicalObject(l), l))).toEqual(alone);
    for (const t of alone) expect(t).toBeDefined();
  });
});
