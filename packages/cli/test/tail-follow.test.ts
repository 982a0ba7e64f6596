import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, writeRollout } from './fixtures/audit-files.js';
import { type RunningCli, spawnCli, tempDir } from './fixtures/run-cli.js';

const tmp = tempDir();
let records: string[] = [];
const running: RunningCli[] = [];

beforeAll(async () => {
  const source = tmp.path('source.ndjson');
  await writeRollout(source, { subjects: 4 });
  records = readLines(source);
});
afterAll(() => {
  for (const cli of running) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  tmp.remove();
});

const subjectVersions = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const sc = JSON.parse(l).state_change;
      return sc ? `${sc.subject}@${sc.subject_version}` : 'checkpoint';
    });
const count = (n: number) => (stdout: string) => stdout.split('\n').filter(Boolean).length >= n;

function follow(...args: string[]): RunningCli {
  const cli = spawnCli(['tail', '--follow', ...args]);
  running.push(cli);
  return cli;
}

describe('flagstate tail --follow', { timeout: 30_000 }, () => {
  it('prints what is there, then appended records, and exits 0 on SIGTERM', async () => {
    const file = tmp.path('append.ndjson');
    writeFileSync(file, `${records.slice(0, 3).join('\n')}\n`);
    const cli = follow(file, '--json');
    await cli.waitForStdout(count(3));

    // A record written in two pieces is printed once it is whole.
    const [head, rest] = [records[3]!.slice(0, 40), records[3]!.slice(40)];
    appendFileSync(file, head);
    appendFileSync(file, `${rest}\n${records[4]}\n`);
    const out = await cli.waitForStdout(count(5));
    expect(out.split('\n').filter(Boolean)).toEqual(records.slice(0, 5));

    cli.child.kill('SIGTERM');
    expect(await cli.exited()).toEqual({ code: 0, signal: null });
    expect(cli.stderr()).toBe('');
  });

  it('finishes the rotated file and continues from the start of the new one', async () => {
    const file = tmp.path('rotating.ndjson');
    writeFileSync(file, `${records.slice(0, 2).join('\n')}\n`);
    const cli = follow(file, '--json');
    await cli.waitForStdout(count(2));

    // Appended just before the rename: only readable through the old file.
    appendFileSync(file, `${records[2]}\n`);
    renameSync(file, `${file}.1`);
    appendFileSync(`${file}.1`, `${records[3]}\n`);
    writeFileSync(file, `${records[4]}\n${records[5]}\n`);
    await cli.waitForStdout(count(6));

    // A second rotation, this time with the new file appearing a little later.
    renameSync(file, `${file}.2`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    writeFileSync(file, `${records[6]}\n`);
    const out = await cli.waitForStdout(count(7));
    expect(out.split('\n').filter(Boolean)).toEqual(records.slice(0, 7));
    expect(subjectVersions(out)).toHaveLength(7);

    cli.child.kill('SIGINT');
    expect(await cli.exited()).toEqual({ code: 0, signal: null });
  });

  it('reads a file truncated in place from its start again', async () => {
    const file = tmp.path('truncated.ndjson');
    writeFileSync(file, `${records.slice(0, 3).join('\n')}\n`);
    const cli = follow(file, '--json');
    await cli.waitForStdout(count(3));
    writeFileSync(file, `${records[3]}\n`);
    const out = await cli.waitForStdout(count(4));
    expect(out.split('\n').filter(Boolean)).toEqual(records.slice(0, 4));
    cli.child.kill('SIGTERM');
    expect((await cli.exited()).code).toBe(0);
  });

  it('applies filters and formats lines while following', async () => {
    const file = tmp.path('filtered.ndjson');
    writeFileSync(file, '');
    const cli = follow(file, '--subject', 'user-1');
    appendFileSync(file, `${records.join('\n')}\n`);
    const out = await cli.waitForStdout(count(2));
    expect(out.split('\n').filter(Boolean)).toEqual([
      '10:15:30.123 checkout user-1 → legacy (init)',
      '11:15:30.123 checkout user-1 legacy → canary (start-canary, 1h 0m)',
    ]);
    cli.child.kill('SIGTERM');
    expect((await cli.exited()).code).toBe(0);
  });

  it('exits 2 when a file to follow does not exist', async () => {
    const cli = follow(tmp.path('absent.ndjson'));
    expect((await cli.exited()).code).toBe(2);
    expect(cli.stderr()).toContain(`cannot read ${tmp.path('absent.ndjson')}: no such file`);
  });
});
