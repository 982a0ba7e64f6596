import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, tamperings, writeRollout } from './fixtures/audit-files.js';
import { runCli, tempDir } from './fixtures/run-cli.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

const restarted = tmp.path('restarted/audit.ndjson');
const crashed = tmp.path('crashed/audit.ndjson');
let lines: string[] = [];
const streamOf = (line: string): string => JSON.parse(line).audit.stream;

beforeAll(async () => {
  // Three process lifetimes on one file: each audit log links its stream to the one before.
  for (let i = 0; i < 3; i++) await writeRollout(restarted, { subjects: 3 });
  lines = readLines(restarted);
  // A lifetime that crashed before its closing checkpoint, and the next one, which seals it.
  const scratch = tmp.path('crashed/scratch.ndjson');
  await writeRollout(scratch, { subjects: 2 });
  const text = readFileSync(scratch, 'utf8');
  writeFileSync(crashed, text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1));
  await writeRollout(crashed, { subjects: 2 });
});

describe('flagstate verify across process lifetimes', { timeout: 30_000 }, () => {
  it('says how many lifetimes the streams link, and what each continues', () => {
    const streams = [...new Set(lines.map(streamOf))];
    const r = runCli(['verify', restarted]);
    expect(r).toMatchObject({ status: 0 });
    const [head, ...each] = r.stdout.trim().split('\n');
    expect(head).toBe(`ok: ${lines.length} records, 3 streams linked across 3 process lifetimes`);
    expect(each).toEqual([
      expect.stringMatching(new RegExp(`^ {2}${streams[0]}: \\d+ records, closed, checkpoints cover`)),
      expect.stringMatching(
        new RegExp(`^ {2}${streams[1]}: \\d+ records, closed, continues ${streams[0]}, `),
      ),
      expect.stringMatching(
        new RegExp(`^ {2}${streams[2]}: \\d+ records, closed, continues ${streams[1]}, `),
      ),
    ]);
  });

  it('accepts a stream sealed after a crash without --allow-open', () => {
    const r = runCli(['verify', crashed]);
    expect(r).toMatchObject({ status: 0 });
    expect(r.stdout).toMatch(/^ {2}\S+: \d+ records, sealed after a crash, checkpoints cover/m);
  });

  it('names a deleted lifetime, even with --allow-pruned when it was cut out of a file', () => {
    const middle = streamOf(lines.find((l) => streamOf(l) !== streamOf(lines[0]!))!);
    const file = tmp.path('deleted.ndjson');
    writeFileSync(file, `${lines.filter((l) => streamOf(l) !== middle).join('\n')}\n`);
    for (const extra of [[], ['--allow-pruned']]) {
      const r = runCli(['verify', file, ...extra]);
      expect(r).toMatchObject({ status: 1 });
      expect(r.stdout.split('\n')[0]).toMatch(
        new RegExp(`^${file}:\\d+: record 1 missing_stream: stream \\S+ continues stream ${middle} `),
      );
    }
  });

  it('reports the same with worker threads as without, for every tampering', () => {
    const copy = tmp.path('copy.ndjson');
    for (const [kind, tamper] of Object.entries(tamperings)) {
      const file = tmp.path(`threads-${kind}.ndjson`);
      writeFileSync(file, `${tamper(lines).lines.join('\n')}\n`);
      const inline = runCli(['verify', '--threads', '0', file]);
      expect(inline.status).toBe(1);
      expect(runCli(['verify', '--threads', '2', file])).toEqual(inline);
    }
    copyFileSync(restarted, copy);
    expect(runCli(['verify', '--threads', '3', copy])).toEqual(runCli(['verify', '--threads', '0', copy]));
  }, 120_000); // some 20 CLI processes, one after another: minutes on a loaded machine

  it('exits 2 for --threads that is not a whole number', () => {
    const r = runCli(['verify', '--threads', 'many', restarted]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--threads must be a whole number');
  });
});
