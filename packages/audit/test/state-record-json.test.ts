import { createHash } from 'node:crypto';
import { type AuditRecord, type AuditRecordDraft, createAuditLog, memorySink } from '@flagstate/audit';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/internal/canonical-json.js';
import { hashOffset, stateRecordJson } from '../src/records/internal/state-record-json.js';

// Strings of any UTF-16 code units (lone surrogates included), with the characters JSON escapes
// and some that sort oddly (`_` before letters, upper before lower case) mixed in often.
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({
    unit: fc.constantFrom(
      'a',
      'Z',
      '_',
      '"',
      '\\',
      '\n',
      '\u0000',
      '\u001f',
      '\u2028',
      '\ud800',
      '\udfff',
      'é',
      '😀',
    ),
    maxLength: 12,
  }),
);
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.maxSafeNat());
const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

/** Every member of a state record's shape, the optional ones present or absent at random. */
const draft: fc.Arbitrary<AuditRecordDraft> = fc.record(
  {
    '@timestamp': text,
    ecs: fc.record({ version: text }),
    message: text,
    log: fc.record({ level: text }),
    event: fc.record(
      {
        kind: text,
        category: fc.tuple(text),
        type: fc.tuple(text),
        action: text,
        outcome: text,
        reason: text,
        id: text,
        sequence: number,
        duration: number,
        dataset: text,
        provider: text,
        // A stale hash: the log replaces it, and the chain hashes the record without it.
        hash: hex(64),
      },
      { requiredKeys: ['kind', 'category', 'type', 'action', 'outcome', 'id', 'dataset', 'provider'] },
    ),
    feature_flag: fc.record(
      {
        key: text,
        provider: fc.record({ name: text }),
        result: fc.record({ variant: text, reason: text }, { requiredKeys: [] }),
        context: fc.record({ id: text }),
        set: fc.record({ id: text }),
        version: text,
      },
      { requiredKeys: ['key'] },
    ),
    state_change: fc.record(
      {
        machine: text,
        machine_version: number,
        subject: text,
        from: text,
        to: text,
        transition: text,
        subject_version: number,
        entered_at: text,
        previous_entered_at: text,
        dwell_ms: number,
        pending: text,
        reason: text,
        stale: fc.constant(true as const),
        last_known: text,
      },
      { requiredKeys: ['machine', 'machine_version', 'subject', 'to', 'subject_version'] },
    ),
    trace: fc.record({ id: text }),
    span: fc.record({ id: text }),
    labels: fc.dictionary(text, text, { maxKeys: 6 }),
  },
  { requiredKeys: ['@timestamp', 'ecs', 'message', 'log', 'event'] },
) as fc.Arbitrary<AuditRecordDraft>;

/** Whether a string anywhere in the value (a key or a value) holds a lone surrogate. */
function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return !value.isWellFormed();
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => !k.isWellFormed() || hasLoneSurrogate(v));
}

/** Whether a number anywhere in the value is NaN or infinite, which JSON has no form for. */
function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(hasNonFinite);
}

/**
 * RFC 8785 by the `canonicalize` package, which refuses lone surrogates and non-finite numbers
 * (JCS is defined on I-JSON): for those, the log's generic serializer, which writes them as
 * JSON.stringify does (escaped; `null`), and which the first test of canonical-json.test.ts
 * checks against `canonicalize` otherwise.
 */
function reference(value: unknown): string {
  const generic = canonicalJson(value)!;
  if (hasLoneSurrogate(value) || hasNonFinite(value)) return generic;
  const jcs = canonicalize(value)!;
  expect(generic).toBe(jcs);
  return jcs;
}

/** The record as RFC 8785 writes it, without `event.hash`. */
function referenceWithoutHash(record: AuditRecord): string {
  const { hash: _omit, ...event } = record.event;
  return reference({ ...record, event });
}

describe('canonical JSON of a state record, written in its fixed key order', () => {
  it('equals RFC 8785 (the canonicalize package) on random records, and the log writes that line', () => {
    const sink = memorySink();
    const log = createAuditLog({ sinks: [sink], checkpointEvery: 0 });
    let head = '0'.repeat(64);
    fc.assert(
      fc.property(draft, (d) => {
        const prev = head;
        const record = log.append(structuredClone(d));
        head = record.event.hash!;
        const fixed = stateRecordJson(record);
        // Every record of this shape takes the fixed path: the generic one would prove nothing.
        expect(fixed).toBe(referenceWithoutHash(record));
        const at = hashOffset();
        expect(`${fixed!.slice(0, at)},"hash":"${record.event.hash}"${fixed!.slice(at)}`).toBe(
          reference(record),
        );
        log.flushSync();
        expect(sink.lines.at(-1)).toBe(reference(record));
        expect(record.event.hash).toBe(
          createHash('sha256')
            .update(`${prev}\n${referenceWithoutHash(record)}`)
            .digest('hex'),
        );
      }),
      { numRuns: 1_000 },
    );
  });

  it('answers undefined for any other shape, and the log then writes the generic canonical line', () => {
    const sink = memorySink();
    const log = createAuditLog({ sinks: [sink], checkpointEvery: 0 });
    const change = { machine: 'm', machine_version: 1, subject: 's', to: 't', subject_version: 1 };
    // One member that is not of the fixed shape: an unknown key, or a known key of another type.
    const oddities: Array<(r: Record<string, unknown>) => void> = [
      (r) => (r.extra = 'x'),
      (r) => ((r.event as Record<string, unknown>).extra = 1),
      (r) => ((r.event as Record<string, unknown>).category = ['configuration', 'other']),
      (r) => ((r.event as Record<string, unknown>).duration = '7'),
      (r) => ((r.event as Record<string, unknown>).duration = Number.NaN),
      (r) => ((r.log as Record<string, unknown>).level = { nested: true }),
      (r) => (r.message = null),
      (r) => (r.ecs = { version: '9.4.0', other: 'x' }),
      (r) => (r.trace = ['x']),
      (r) => (r.feature_flag = { key: 'k', provider: { name: 'p', version: '1' } }),
      (r) => (r.state_change = { ...change, stale: false }),
      (r) => (r.state_change = { ...change, extra: 1 }),
      (r) => (r.audit = { suspension: { machine: 'm' } }),
    ];
    fc.assert(
      fc.property(draft, fc.constantFrom(...oddities), (d, odd) => {
        const copy = structuredClone(d) as unknown as Record<string, unknown>;
        odd(copy);
        const record = log.append(copy as unknown as AuditRecordDraft);
        expect(stateRecordJson(record)).toBeUndefined();
        log.flushSync();
        expect(sink.lines.at(-1)).toBe(reference(record));
      }),
      { numRuns: 300 },
    );
  });
});
