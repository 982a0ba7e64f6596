import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLine } from '../src/internal/format-line.js';
import { readLines, writeEveryKind, writeRollout, writeSkippedState } from './fixtures/audit-files.js';
import { runCli, tempDir } from './fixtures/run-cli.js';

const tmp = tempDir();
const every = tmp.path('every.ndjson');
const rollout = tmp.path('rollout.ndjson');
const skipped = tmp.path('skipped.ndjson');
beforeAll(async () => {
  await writeEveryKind(every);
  await writeSkippedState(skipped);
  await writeRollout(rollout, { subjects: 3 });
});
afterAll(() => tmp.remove());

const CHECKPOINT = /^\d\d:\d\d:\d\d\.\d{3} checkpoint \d+: \d+ records, head [0-9a-f]{12}( \(final\))?$/;

/** The lines every.ndjson must give, checkpoints aside (their time is the wall clock's). */
const EVERY_KIND = [
  '10:15:30.123 checkout user-42 → legacy (init)',
  '10:15:30.123 checkout user-7 → legacy (init)',
  '11:15:30.123 checkout user-42 legacy → canary (start-canary, 1h 0m)',
  '11:15:30.123 checkout user-42 canary ⇢ v2 [state-transition-held: min_dwell]',
  '11:15:30.123 checkout user-42 canary → v2 (promote, 1d 0h)',
  '11:15:30.123 checkout user-7 legacy → v2 (1d 1h) [state-transition-illegal: not_allowed]',
  '11:15:30.123 checkout user-42 v2 (91d 0h) [state-stale: max_dwell]',
  '11:15:30.123 checkout user-3 beta → canary (migration to v3)',
  '11:15:30.123 checkout user-9 → legacy (init)',
  '11:15:30.123 checkout user-9 ∅ → canary [state-race: lost_compare_and_set]',
  '11:15:30.123 checkout user-9 legacy → canary (start-canary, 0ms)',
];

const lines = (stdout: string) => stdout.split('\n').filter(Boolean);

describe('flagstate tail', { timeout: 30_000 }, () => {
  it('prints one readable line per record, flagged ones with their action and reason', () => {
    const r = runCli(['tail', every], { FORCE_COLOR: '1' });
    expect(r).toMatchObject({ status: 0 });
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out.filter((l) => !CHECKPOINT.test(l))).toEqual(EVERY_KIND);
    // Checkpoints every 4 records plus the closing one; the last says it is final.
    expect(out.filter((l) => CHECKPOINT.test(l))).toHaveLength(3);
    expect(out.at(-1)).toMatch(/ checkpoint 14: 13 records, head [0-9a-f]{12} \(final\)$/);
    // Not a terminal: no colour, even when FORCE_COLOR asks for it.
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('--action illegal finds the subject that skipped a state through one the machine lacks', () => {
    const r = runCli(['tail', skipped, '--action', 'illegal']);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(lines(r.stdout)).toEqual([
      '11:15:30.123 checkout user-1 legacy → beta (1h 0m) [state-transition-illegal: unknown_state]',
      '12:15:30.123 checkout user-1 beta → v2 (1h 0m) [state-transition-illegal: not_allowed]',
      '14:15:30.123 checkout user-2 legacy → beta (1h 0m) [state-transition-illegal: unknown_state]',
    ]);
  });

  it('filters by --machine, --subject and --action, and the filters combine', () => {
    const bySubject = runCli(['tail', every, '--subject', 'user-7']);
    expect(lines(bySubject.stdout)).toEqual([EVERY_KIND[1], EVERY_KIND[5]]);

    const byAction = runCli(['tail', every, '--action', 'state-transition']);
    expect(lines(byAction.stdout)).toEqual([EVERY_KIND[2], EVERY_KIND[4], EVERY_KIND[10]]);

    // Short action names, repeated: any of them matches.
    const flagged = runCli(['tail', every, '--action', 'illegal', '--action', 'race', '--action', 'stale']);
    expect(lines(flagged.stdout)).toEqual([EVERY_KIND[5], EVERY_KIND[6], EVERY_KIND[9]]);

    const combined = runCli(['tail', every, '--subject', 'user-42', '--action', 'state-transition']);
    expect(lines(combined.stdout)).toEqual([EVERY_KIND[2], EVERY_KIND[4]]);

    const byMachine = runCli(['tail', every, '--machine', 'checkout']);
    expect(lines(byMachine.stdout)).toEqual(EVERY_KIND);
    expect(runCli(['tail', every, '--machine', 'search']).stdout).toBe('');

    const checkpoints = runCli(['tail', every, '--action', 'checkpoint']);
    expect(lines(checkpoints.stdout)).toHaveLength(3);
    for (const line of lines(checkpoints.stdout)) expect(line).toMatch(CHECKPOINT);
  });

  it('prints the matching records unchanged as NDJSON with --json', () => {
    const written = readLines(every);
    const all = runCli(['tail', every, '--json']);
    expect(all).toMatchObject({ status: 0 });
    expect(lines(all.stdout)).toEqual(written);

    const illegal = runCli(['tail', every, '--json', '--action', 'illegal']);
    const expected = written.filter((l) => JSON.parse(l).event.action === 'state-transition-illegal');
    expect(expected).toHaveLength(1);
    expect(lines(illegal.stdout)).toEqual(expected);
  });

  it('reads several files in the order given', () => {
    const r = runCli(['tail', rollout, every, '--action', 'init', '--json']);
    const subjects = lines(r.stdout).map((l) => JSON.parse(l).state_change.subject);
    expect(subjects).toEqual(['user-0', 'user-1', 'user-2', 'user-42', 'user-7', 'user-9']);
  });

  it('skips a line that is not JSON with a warning naming file and line', () => {
    const file = tmp.path('mixed.ndjson');
    appendFileSync(file, `${readFileSync(rollout, 'utf8')}not json\n`);
    const r = runCli(['tail', file, '--subject', 'user-1']);
    expect(r).toMatchObject({ status: 0 });
    expect(lines(r.stdout)).toEqual([
      '10:15:30.123 checkout user-1 → legacy (init)',
      '11:15:30.123 checkout user-1 legacy → canary (start-canary, 1h 0m)',
    ]);
    expect(r.stderr).toBe(`${file}:${readLines(rollout).length + 1}: not JSON, skipped\n`);
  });

  it('exits 2 when a file cannot be read', () => {
    const r = runCli(['tail', every, tmp.path('nope.ndjson')]);
    expect(r).toMatchObject({ status: 2 });
    expect(r.stderr).toContain(`cannot read ${tmp.path('nope.ndjson')}: no such file`);
  });
});

describe('formatLine', () => {
  it('colours a flagged record when given a styler, and only the parts that carry meaning', () => {
    const [record] = readLines(every)
      .map((l) => JSON.parse(l))
      .filter((r) => r.event.action === 'state-transition-illegal');
    const styled = formatLine(record, (format, text) => `<${String(format)}>${text}</>`);
    expect(styled).toBe(
      '<dim>11:15:30.123</> <bold>checkout</> <cyan>user-7</> legacy → v2 (1d 1h) <red>[state-transition-illegal: not_allowed]</>',
    );
  });
});
