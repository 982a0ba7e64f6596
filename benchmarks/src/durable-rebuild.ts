// How long a start takes to rebuild the durable store from the audit files, with and without a
// snapshot: the rebuild rows of the scaling section (scaling.bench.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecoveryReport } from '@flagstate/core';
import { headline } from './headline.js';
import { median, spread } from './report.js';

const REBUILD = fileURLToPath(new URL('./durable-rebuild-child.ts', import.meta.url));

/** Runs the rebuild child; `start` returns the recovery report it printed. */
function rebuildChild(...args: string[]): RecoveryReport | undefined {
  const result = spawnSync(process.execPath, ['--import', 'tsx', REBUILD, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.signal !== 'SIGKILL') throw new Error(`rebuild child ${args[0]} failed: ${result.stderr}`);
  return args[0] === 'start' ? (JSON.parse(result.stdout) as RecoveryReport) : undefined;
}

export function rebuildTable(): string {
  const rows: string[] = [];
  for (const [records, subjects] of [
    [100_000, 10_000],
    [1_000_000, 100_000],
  ] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'flagstate-rebuild-'));
    rebuildChild('generate', dir, String(subjects), String(records));
    const withSnapshot = [0, 1, 2].map(() => rebuildChild('start', dir)!);
    rmSync(join(dir, 'state.snapshot'));
    const full = rebuildChild('start', dir)!;
    const ms = withSnapshot.map((r) => r.ms);
    if (records === 1_000_000) {
      headline({
        row: `rebuilding the store at start, ${records.toLocaleString('en')} records / ${subjects.toLocaleString('en')} subjects`,
        measured: `${(median(ms) / 1000).toFixed(2)} s with the snapshot (${spread(ms, 0)} ms), ${(full.ms / 1000).toFixed(2)} s without`,
        goal: 'under 3 s',
        met: median(ms) < 3000,
      });
    }
    rows.push(
      `| ${records.toLocaleString('en')} | ${subjects.toLocaleString('en')} | ${median(ms).toFixed(0)} (${spread(ms, 0)}) | ${withSnapshot[0]!.fromSnapshot.toLocaleString('en')} + ${withSnapshot[0]!.replayedLines.toLocaleString('en')} | ${full.ms.toFixed(0)} | ${full.replayedLines.toLocaleString('en')} |`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    '### Rebuilding the store at start',
    '',
    "Records written through the durable setup by a child that snapshots every 100,000 records (the default) and dies by SIGKILL; each start is a new process that rebuilds the store and dies by SIGKILL too (so that every start reads the same tail). ms inside the process (Node's own start excluded), median (spread) of 3 starts.",
    '',
    '| records | subjects | start with snapshot, ms | subjects from the snapshot + tail lines read | start without snapshot, ms | lines read |',
    '|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
