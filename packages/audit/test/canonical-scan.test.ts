import { createAuditLog, memorySink } from '@flagstate/audit';
import { tamperings } from '@flagstate/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/internal/canonical-json.js';
import { scanCanonicalObject } from '../src/verify/internal/canonical-scan.js';
import { jsonTextProblem } from '../src/verify/internal/json-text-problem.js';
import { factsOfLine, factsOfRecord } from '../src/verify/internal/record-facts.js';
import { auditLines } from './support/audit-lines.js';
import { everyRecordKind } from './support/every-action.js';

/** Texts near canonical JSON: the canonical form, and ways of writing the same value otherwise. */
const nearCanonical = fc.oneof(
  fc.dictionary(fc.string(), fc.jsonValue()).map((v) => canonicalJson(v)!),
  fc.dictionary(fc.string(), fc.jsonValue()).map((v) => JSON.stringify(v)),
  fc.dictionary(fc.string(), fc.jsonValue()).map((v) => JSON.stringify(v, null, 1)),
  fc
    .tuple(
      fc.dictionary(fc.string(), fc.jsonValue()),
      fc.nat(),
      fc.constantFrom(' ', '\\u0041', '1.0', '-0', '1e2', '"a":1,', '\\/'),
    )
    .map(([v, at, insert]) => {
      const text = canonicalJson(v)!;
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i);
    }),
);

describe('scanCanonicalObject', () => {
  it('accepts only text that is its own canonical form', () => {
    fc.assert(
      fc.property(nearCanonical, (text) => {
        if (scanCanonicalObject(text) === undefined) return;
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 5_000 },
    );
  });

  it('accepts every line the audit log writes, so that verify takes the fast path', async () => {
    const sink = memorySink();
    const { log } = await everyRecordKind({ log: createAuditLog({ sinks: [sink] }) });
    await log.close();
    for (const line of sink.lines) expect(scanCanonicalObject(line), line).toBeDefined();
  });

  it('rejects duplicate keys, unsorted keys, escapes, whitespace and number forms it does not vouch for', () => {
    for (const text of [
      '{"a":1,"a":1}',
      '{"b":1,"a":1}',
      '{"a":"\\n"}',
      '{"a": 1}',
      '{"a":1.5}',
      '{"a":-0}',
      '{"a":01}',
      '{"a":1e3}',
      '{"a":1234567890123456}',
      '{"a":"\ud800"}',
      '[1]',
      '{"a":1}x',
    ]) {
      expect(scanCanonicalObject(text), text).toBeUndefined();
    }
    expect(scanCanonicalObject('{"":[],"a":{"b":[true,false,null,-12,"x y"]},"é":0}')).toBeDefined();
  });
});

describe('factsOfLine', () => {
  it('gives the verdict of parsing and canonicalizing, on every line and every tampering of it', async () => {
    const lines = await auditLines(6);
    const variants = [lines, ...Object.values(tamperings).map((t) => t(lines).lines)].flat();
    const edited = fc
      .tuple(
        fc.constantFrom(...variants),
        fc.nat(),
        fc.constantFrom('"', '\\', ' ', '0', '9', 'a', '{', '}', ',', ':', 'é', '\u0001'),
      )
      .map(([l, at, c]) => {
        const i = at % l.length;
        return l.slice(0, i) + c + l.slice(i + 1);
      });
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...variants), edited), (line) => {
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch {
          expect(factsOfLine(line)).toHaveProperty('malformed');
          return;
        }
        // What the parse lost: a key given twice, which JSON.parse settles one way and other readers another.
        const problem = jsonTextProblem(line);
        if (problem !== undefined) {
          expect(factsOfLine(line)).toEqual({ malformed: problem });
          return;
        }
        expect(factsOfLine(line)).toEqual(factsOfRecord(record));
      }),
      { numRuns: 3_000 },
    );
  });

  it('gives the same verdict when told a line is plain and given its bytes to hash in', async () => {
    const lines = await auditLines(6);
    const variants = [lines, ...Object.values(tamperings).map((t) => t(lines).lines)].flat();
    // What the CLI vouches for: ASCII, without a backslash or a control character.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what a plain line holds none of.
    const plain = variants.filter((l) => /^[\x20-\x7e]*$/.test(l) && !/[\u0000-\u001f\\]/.test(l));
    expect(plain.length).toBeGreaterThan(lines.length);
    const edited = fc
      .tuple(
        fc.constantFrom(...plain),
        fc.nat(),
        fc.constantFrom('"', '0', '9', 'a', '{', '}', ',', ':', 'x'),
      )
      .map(([l, at, c]) => {
        const i = at % l.length;
        return l.slice(0, i) + c + l.slice(i + 1);
      });
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...plain), edited), fc.nat(40), (line, offset) => {
        // The line somewhere in a chunk's bytes, as the CLI has it.
        const bytes = Buffer.alloc(offset + line.length + 1, 0x0a);
        bytes.write(line, offset, 'latin1');
        expect(factsOfLine(line, true, bytes, offset)).toEqual(factsOfLine(line));
      }),
      { numRuns: 3_000 },
    );
  });
});
