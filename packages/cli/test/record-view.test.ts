import { canonicalJson, replayClaim } from '@flagstate/audit/internal';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { machineOf } from '../src/internal/record-filter.js';
import { recordProblem } from '../src/internal/record-shape.js';
import { readRecord } from '../src/internal/record-view.js';
import { readLines, tamperings, writeEveryKind, writeRollout } from './fixtures/audit-files.js';
import { tempDir } from './fixtures/run-cli.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

let lines: string[] = [];
/** Those of them that are JSON objects. */
let records: string[] = [];
beforeAll(async () => {
  await writeEveryKind(tmp.path('every-kind.ndjson'));
  await writeRollout(tmp.path('rollout.ndjson'));
  const written = [...readLines(tmp.path('every-kind.ndjson')), ...readLines(tmp.path('rollout.ndjson'))];
  lines = [written, ...Object.values(tamperings).map((t) => t(written).lines)].flat();
  records = lines.filter((l) => {
    try {
      const v = JSON.parse(l);
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    } catch {
      return false;
    }
  });
});

/** What replay and tail read of a record: its problem, its claim, and the fields they filter on. */
function readings(record: unknown): unknown {
  const problem = recordProblem(record);
  if (problem !== undefined) return { problem };
  const r = record as { state_change?: { subject?: unknown }; event?: { action?: unknown } };
  return {
    claim: replayClaim(record),
    machine: machineOf(record as never),
    subject: r.state_change?.subject,
    action: r.event?.action,
  };
}

const RARE = [
  ['audit', 'gap'],
  ['audit', 'suspension'],
  ['audit', 'checkpoint'],
  ['state_change', 'stale'],
  ['state_change', 'last_known'],
  ['state_change', 'pending'],
  ['state_change', 'machine_version'],
];

/** A record with one field (of the top level, or of one of its objects) set to another value, or taken out. */
const edited = () =>
  fc
    .tuple(fc.constantFrom(...records), fc.nat(), fc.option(fc.jsonValue(), { nil: undefined }))
    .map(([line, n, value]) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      const paths = Object.entries(record).flatMap(([key, v]) => [
        [key],
        ...(typeof v === 'object' && v !== null && !Array.isArray(v)
          ? Object.keys(v).map((k) => [key, k])
          : []),
      ]);
      // And fields records seldom hold, which replay and tail read when they do.
      paths.push(...RARE.filter(([object]) => typeof record[object!] === 'object'));
      const path = paths[n % paths.length]!;
      const holder = (path.length === 1 ? record : record[path[0]!]) as Record<string, unknown>;
      const key = path.at(-1)!;
      if (value === undefined) delete holder[key];
      else holder[key] = value;
      return canonicalJson(record)!;
    });

describe('readRecord', () => {
  it('gives replay and tail what JSON.parse gives them, for every field of every kind of record set to anything', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...records), edited()), (line) => {
        const parsed = readings(JSON.parse(line));
        expect(readings(readRecord(line, false))).toEqual(parsed);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: what a plain line holds none of.
        if (!/[\u0000-\u001f\\]/.test(line) && /^[\x20-\x7e]*$/.test(line))
          expect(readings(readRecord(line, true))).toEqual(parsed);
      }),
      { numRuns: 3_000 },
    );
  });

  it('throws what JSON.parse throws for a line that is not JSON', () => {
    for (const line of ['{"oops', '{"a":1}x', '', '{"a":"\t"}']) {
      expect(() => readRecord(line, false)).toThrow(SyntaxError);
    }
  });
});
