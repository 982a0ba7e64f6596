import { createAuditLog, memorySink } from '@flagstate/audit';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/internal/canonical-json.js';
import { everyRecordKind } from './support/every-action.js';

describe('canonical JSON (RFC 8785)', () => {
  it('agrees with the canonicalize reference implementation on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('agrees on the RFC 8785 corner cases: number forms, escapes, key order by UTF-16 units', () => {
    const value = {
      // 333333333.3333333 is RFC 8785's own example of a number that needs care.
      numbers: [333333333.3333333, 1e30, 4.5, 0.002, 1e-7, -0, 9007199254740991],
      string: '\u20ac$\u000F\nA\'B"\\\\"/',
      literals: [null, true, false],
      '\u20ac': 1,
      '\r': 2,
      '\ud83d\ude00': 3,
      '\u0080': 4,
      '1': 5,
    };
    expect(canonicalJson(value)).toBe(canonicalize(value));
  });

  it('is the line the audit log writes, event.hash included', async () => {
    const sink = memorySink();
    const { log } = await everyRecordKind({ log: createAuditLog({ sinks: [sink] }) });
    await log.close();
    for (let i = 0; i < sink.lines.length; i++) {
      expect(sink.lines[i]).toBe(canonicalize(sink.records[i]));
    }
  });
});
