import {
  AuditReplayer,
  AuditVerifier,
  GENESIS_HASH,
  hashRecord,
  replayAudit,
  verifyAudit,
} from '@flagstate/audit';
import { claimBatch, replayClaim } from '@flagstate/audit/internal';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/internal/canonical-json.js';
import { auditLines } from './support/audit-lines.js';

// biome-ignore lint/suspicious/noExplicitAny: hostile records are anything.
type Rec = any;

const asLines = (lines: readonly string[]) =>
  lines.map((text, i) => ({ text, file: 'a.ndjson', line: i + 1 }));
const parse = (lines: readonly string[]): Rec[] => lines.map((l) => JSON.parse(l));

/** Recomputes every link and checkpoint head, in order, as a writer would have: the edits lie past the chain. */
function rechain(records: Rec[]): string[] {
  let prev = GENESIS_HASH;
  return records.map((r) => {
    r.audit.prev_hash = prev;
    if (r.event.action === 'audit-checkpoint') r.audit.checkpoint.head = prev;
    delete r.event.hash;
    r.event.hash = hashRecord(prev, r);
    prev = r.event.hash;
    return canonicalJson(r)!;
  });
}

/** `{"d":[{"d":[…"bottom"…]}]}`, `levels` objects and arrays deep. */
function nested(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { d: value };
  return value;
}

describe('verify on hostile lines', () => {
  it('reports a record nested too deeply as malformed, as a line (canonical or not) or as a record, and never throws', async () => {
    const lines = await auditLines(2);
    // Level 1 is the record, level 2 its labels.
    const at = (levels: number) => {
      const records = parse(lines);
      records[1].labels = { deep: nested(levels) };
      return rechain(records);
    };
    // 126 + 2 levels: the deepest a record may be.
    expect(verifyAudit(asLines(at(126))).ok).toBe(true);
    const deep = at(127);
    const spaced = deep.map((l, i) => (i === 1 ? l.replaceAll('{"d":', '{"d": ') : l));
    for (const input of [asLines(deep), asLines(spaced), parse(deep)]) {
      expect(verifyAudit(input).problems[0]).toMatchObject({
        reason: 'malformed',
        message: 'nested too deeply to check (more than 128 levels)',
      });
    }
    // Far deeper than any stack: the hash's recursion would overflow it.
    const abyss = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const line = lines[1]!.replace('"log":', `"deep":${abyss},"log":`);
    const verifier = new AuditVerifier();
    expect(() => verifier.add({ text: line, line: 2 })).not.toThrow();
    expect(() => verifier.add(JSON.parse(line))).not.toThrow();
    expect(verifier.report().problems.map((p) => p.message)).toEqual([
      'nested too deeply to check (more than 128 levels)',
      'nested too deeply to check (more than 128 levels)',
    ]);
  });

  it('reports a line with a duplicate key, at any depth and however escaped, as malformed', async () => {
    const lines = await auditLines(2);
    const line = lines[1]!;
    expect(line).toContain('"subject":"user-0"');
    expect(line).toContain('"log":');
    const cases: [string, string][] = [
      [
        line.replace('"subject":"user-0"', '"subject":"mallory","subject":"user-0"'),
        'duplicate key "subject" in state_change',
      ],
      [
        line.replace('"subject":"user-0"', '"subject":"mallory","\\u0073ubject":"user-0"'),
        'duplicate key "subject" in state_change',
      ],
      [line.replace('{"@timestamp"', '{"ecs":{},"@timestamp"'), 'duplicate key "ecs"'],
      [line.replace('"log":', '"deep":[0,{"a":{"b":1,"b":1}}],"log":'), 'duplicate key "b" in deep[1].a'],
    ];
    for (const [text, message] of cases) {
      // JSON.parse keeps the last value, so the hash still matches: only the text tells.
      const report = verifyAudit(asLines([lines[0]!, text, ...lines.slice(2)]));
      expect(report.problems[0], text).toMatchObject({ reason: 'malformed', line: 2 });
      expect(report.problems[0]!.message).toBe(`${message} (readers differ on which of its values counts)`);
    }
    // The same keys in different objects, and a key equal to a string value, are no duplicates.
    const records = parse(lines);
    records[1].labels = { subject: 'subject', a: { subject: 1 }, b: [{ subject: 2 }, { subject: 3 }] };
    // A space after each colon: not canonical, so the line is parsed and its text scanned.
    const fine = rechain(records).map((l, i) => (i === 1 ? l.replaceAll('":', '": ') : l));
    expect(verifyAudit(asLines(fine)).ok).toBe(true);
  });

  it('finds every duplicate key inserted into the log’s own lines, and only those', async () => {
    const lines = await auditLines(2);
    // Keys counted in the text and in the parsed record differ when some key was there twice.
    const keysInText = (text: string) => (text.match(/"(?:[^"\\]|\\.)*":/g) ?? []).length;
    const inserts = fc.constantFrom('"a":1,', '"event":{},', '"id":"x",', '"kind":"event",', '"\\u0069d":0,');
    fc.assert(
      fc.property(fc.constantFrom(...lines), fc.nat(), inserts, (line, at, insert) => {
        const braces = [...line.matchAll(/\{/g)].map((m) => m.index);
        const i = braces[at % braces.length]! + 1;
        const text = line.slice(0, i) + insert + line.slice(i);
        const verifier = new AuditVerifier();
        verifier.add({ text, line: 1 });
        const found = verifier.report().problems.some((p) => p.message.startsWith('duplicate key'));
        expect(found, text).toBe(keysInText(text) !== keysParsed(JSON.parse(text)));
      }),
      { numRuns: 500 },
    );
  });

  it('reports a malformed audit.previous instead of taking record 1 for a stream that continues nothing', async () => {
    const lines = await auditLines(2);
    for (const [previous, message] of [
      [
        'the stream before',
        'audit.previous: expected { stream, sequence, hash } of the stream before, got the string "the stream before"',
      ],
      [null, 'audit.previous: expected { stream, sequence, hash } of the stream before, got null'],
      [
        { stream: 'x', sequence: '3', hash: 'y' },
        'audit.previous.sequence: expected a whole number from 1, got the string "3"',
      ],
    ] as const) {
      const records = parse(lines);
      records[0].audit.previous = previous;
      const rechained = rechain(records);
      for (const input of [asLines(rechained), parse(rechained)]) {
        const report = verifyAudit(input);
        expect(report.ok).toBe(false);
        expect(report.problems[0]).toMatchObject({ reason: 'malformed', message });
      }
    }
  });
});

function keysParsed(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  const own = Array.isArray(value) ? 0 : Object.keys(value).length;
  return own + children.reduce((n: number, v) => n + keysParsed(v), 0);
}

describe('replay on hostile records', () => {
  it('skips, and names, a state record whose times cannot become strings, rather than throw', async () => {
    const records = parse(await auditLines(2));
    const hostile = { toString: 1, valueOf: 1 };
    const enteredAt = structuredClone(records[1]);
    enteredAt.state_change.entered_at = hostile;
    const timestamp = structuredClone(records[1]);
    timestamp['@timestamp'] = hostile;
    for (const [record, field] of [
      [enteredAt, 'state_change.entered_at'],
      [timestamp, '@timestamp'],
    ] as const) {
      expect(() => replayAudit([records[0], record])).not.toThrow();
      expect(replayClaim(record)).toBeUndefined();
      expect(new AuditReplayer().add(record)).toBe(
        `not an audit record (${field}: expected a string, got an object)`,
      );
      const report = replayAudit([record, records[2]]);
      expect(report.records).toBe(1);
    }
  });

  it('calls two records with different ids at one place of a stream a conflict, and the same record read twice none', async () => {
    const stream = '01a2b3c4-0000-7000-8000-000000000001';
    const a = parse(await auditLines(3, { stream }));
    // Another writer under the same stream id: the same places, its own event ids.
    const b = parse(await auditLines(3, { stream }));
    b[b.length - 2].state_change.to = 'retired';
    const states = (r: Rec[]) => r.filter((x) => x.state_change !== undefined);
    expect(states(a).length).toBe(6);
    expect(replayAudit([...a, ...a, ...a]).conflicts).toEqual([]);
    const report = replayAudit([...a, ...b]);
    expect(report.conflicts.map((c) => [c.kind, c.subject, c.version])).toEqual([
      ['conflict', 'user-0', 1],
      ['conflict', 'user-0', 2],
      ['conflict', 'user-1', 1],
      ['conflict', 'user-1', 2],
      ['conflict', 'user-2', 1],
      ['conflict', 'user-2', 2],
    ]);
    const byId = new Map([...a, ...b].map((r) => [r.event.id, r]));
    for (const c of report.conflicts) {
      expect(new Set([c.winner, ...c.losers!].map((id) => byId.get(id)!.state_change.subject))).toEqual(
        new Set([c.subject]),
      );
    }
    // In any order, file given twice or not, and from batches as worker threads send them.
    const all = [...a, ...b, ...a.slice(2)];
    const expected = replayAudit(all);
    expect(expected.conflicts).toEqual(report.conflicts);
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: all.length }), (input) => {
        expect(replayAudit(input)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
    const input = [...b, ...a, ...b];
    const claims = input.map(replayClaim).filter((c) => c !== undefined);
    const replayer = new AuditReplayer();
    replayer.addBatch(claimBatch(claims));
    let passes = 1;
    for (; replayer.nextPass(); passes++) replayer.recheckBatch(claimBatch(claims));
    expect(passes).toBe(3);
    expect(replayer.report()).toEqual(replayAudit(input));
    expect(replayer.report().conflicts).toEqual(report.conflicts);
  });

  it('counts machines and states named __proto__ and constructor like any others', async () => {
    const records = parse(await auditLines(2)).filter((r) => r.state_change !== undefined);
    for (const r of records) {
      if (r.state_change.subject === 'user-0') r.state_change.machine = '__proto__';
      else r.state_change.to = 'constructor';
    }
    const report = replayAudit(records);
    expect(Object.keys(report.counts).sort()).toEqual(['__proto__', 'checkout']);
    expect(Object.getPrototypeOf(report.counts)).toBeNull();
    const proto = '__proto__';
    expect(report.counts[proto]).toEqual({ canary: 1 });
    expect(Object.keys(report.counts.checkout!)).toEqual(['constructor']);
    expect(report.counts.checkout!.constructor).toBe(1);
    expect(JSON.parse(JSON.stringify(report.counts))).toEqual(
      JSON.parse('{"__proto__":{"canary":1},"checkout":{"constructor":1}}'),
    );
  });
});
