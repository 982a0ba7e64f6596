import {
  canonicalJson,
  isObject,
  readClaim,
  replayClaim,
  scanCanonicalObject,
  scannedClaim,
} from '@flagstate/audit/internal';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordFilter, machineOf } from '../src/internal/record-filter.js';
import { recordProblem, scannedRecordFits } from '../src/internal/record-shape.js';
import { readRecord, recordView } from '../src/internal/record-view.js';
import { tailLineReader } from '../src/internal/tail-line.js';
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

/** As the CLI tells a line: printable ASCII without a backslash (see isPlainAscii). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: what a plain line holds none of.
const isPlain = (line: string) => !/[\u0000-\u001f\\]/.test(line) && /^[\x20-\x7e]*$/.test(line);

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
    .tuple(
      fc.constantFrom(...records),
      fc.nat(),
      fc.option(fc.oneof(fc.jsonValue(), fc.integer({ min: -1000, max: 1000 })), { nil: undefined }),
    )
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
        if (isPlain(line)) expect(readings(readRecord(line, true))).toEqual(parsed);
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

/** Whether a record is of a kind `scannedRecordFits` leaves to recordProblem. */
const leftToRecordProblem = (record: { event?: { action?: unknown }; audit?: Record<string, unknown> }) =>
  record.event?.action === 'audit-checkpoint' ||
  record.event?.action === 'audit-gap' ||
  ['checkpoint', 'gap', 'suspension'].some((k) => isObject(record.audit) && record.audit[k] !== undefined);

describe('the scanned readers', () => {
  it('tell what recordProblem and readClaim tell of the record, for every field of every kind of record set to anything', () => {
    let fast = 0;
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...records), edited()), (line) => {
        // Twice: scanned token by token (a shape not yet learned, or forgotten), then matched
        // against the shape just learned.
        for (let round = 0; round < 2; round++) {
          const s = scanCanonicalObject(line, false);
          if (s === undefined) return;
          const fits = scannedRecordFits(s);
          const claim = scannedClaim(s);
          const record = recordView(s);
          const problem = recordProblem(record);
          expect(fits).toBe(problem === undefined && !leftToRecordProblem(record as never));
          const slow = readClaim(record);
          // null: readClaim words why the record cannot be replayed.
          if (claim === null) expect(typeof slow).toBe('string');
          else expect(claim).toEqual(slow);
          if (fits && claim !== null) fast++;
        }
      }),
      { numRuns: 3_000 },
    );
    // The log's own records take the fast path: it is not a path no line takes.
    expect(fast).toBeGreaterThan(3_000);
  });

  it('give tail --json the lines, places and machines that reading the record gives, with and without filters', () => {
    const filters = [
      {},
      { machine: ['checkout'] },
      { subject: ['user-1', 'user-2'] },
      { action: ['state-transition', 'state-init'] },
      { machine: ['checkout', 'payments'], action: ['state-transition-held'] },
    ];
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...records), edited()),
        fc.constantFrom(...filters),
        (line, filter) => {
          const read = tailLineReader({ ...filter, json: true });
          const plain = isPlain(line);
          // Scanned twice, so that the second read matches the shape the first learned.
          read(line, plain, plain);
          const fast = read(line, plain, plain);
          const parsed = JSON.parse(line);
          const problem = recordProblem(parsed);
          if (problem !== undefined) {
            expect(fast).toEqual({ skip: `not an audit record (${problem})` });
            return;
          }
          const sequence = parsed.event?.sequence;
          const machines = (filter.machine?.length ?? 0) > 0;
          expect(fast).toEqual({
            stream: typeof parsed.audit?.stream === 'string' ? parsed.audit.stream : undefined,
            sequence: typeof sequence === 'number' ? sequence : undefined,
            id:
              typeof sequence !== 'number' && typeof parsed.event?.id === 'string'
                ? parsed.event.id
                : undefined,
            machine: machines ? machineOf(parsed) : undefined,
            out: createRecordFilter(filter)(parsed) ? line : undefined,
          });
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
