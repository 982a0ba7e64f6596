import { appendFileSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, writeRollout } from './fixtures/audit-files.js';
import { type RunningCli, runCli, spawnCli, tempDir } from './fixtures/run-cli.js';

const tmp = tempDir();
let records: string[] = [];
const running: RunningCli[] = [];

beforeAll(async () => {
  const source = tmp.path('source.ndjson');
  await writeRollout(source, { subjects: 12 });
  records = readLines(source);
});
afterAll(() => {
  for (const cli of running) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  tmp.remove();
});

const lines = (stdout: string) => stdout.split('\n').filter(Boolean);
const count = (n: number) => (stdout: string) => lines(stdout).length >= n;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const put = (file: string, from: number, to: number) =>
  appendFileSync(
    file,
    records
      .slice(from, to)
      .map((r) => `${r}\n`)
      .join(''),
  );

/**
 * Rotates `live` as a log writer does (`.1` to `.2`, live to `.1`, a new live file), with one
 * record written to the old file after the rename, through the writer's open descriptor.
 * Each round waits until the tail has printed everything, so that no file rotates twice
 * between two polls (which `tail -F` cannot follow either). Returns the records written.
 */
async function rotate(cli: RunningCli, live: string, written: number, rounds: number): Promise<number> {
  let n = written;
  for (let round = 0; round < rounds; round++) {
    put(live, n, n + 2);
    if (existsSync(`${live}.1`)) renameSync(`${live}.1`, `${live}.2`);
    renameSync(live, `${live}.1`);
    put(`${live}.1`, n + 2, n + 3);
    // Every other round, the new file appears only after a poll has found the path missing.
    if (round % 2 === 1) await sleep(250);
    put(live, n + 3, n + 5);
    n += 5;
    await cli.waitForStdout(count(n));
  }
  return n;
}

function follow(...args: string[]): RunningCli {
  const cli = spawnCli(['tail', '--follow', '--json', ...args]);
  running.push(cli);
  return cli;
}

describe('flagstate tail --follow across rotation', { timeout: 30_000 }, () => {
  it('prints every record once, in order, following audit.ndjson.1 audit.ndjson', async () => {
    const live = tmp.path('audit.ndjson');
    put(`${live}.1`, 0, 4);
    put(live, 4, 8);
    const cli = follow(`${live}.1`, live);
    await cli.waitForStdout(count(8));

    const written = await rotate(cli, live, 8, 4);
    // Long enough for several polls: a record printed twice would show up by now.
    await sleep(700);
    expect(lines(cli.stdout())).toEqual(records.slice(0, written));
    cli.child.kill('SIGTERM');
    expect(await cli.exited()).toEqual({ code: 0, signal: null });
    expect(cli.stderr()).toBe('');
  });

  it('prints every record once when the files are given newest first, or twice', async () => {
    const live = tmp.path('reversed.ndjson');
    put(`${live}.1`, 0, 4);
    put(live, 4, 8);
    const cli = follow(live, `${live}.1`, live);
    await cli.waitForStdout(count(8));
    // What was there is printed in the order given; what comes after, in the order written.
    expect(lines(cli.stdout())).toEqual([...records.slice(4, 8), ...records.slice(0, 4)]);

    const written = await rotate(cli, live, 8, 3);
    await sleep(700);
    expect(lines(cli.stdout()).slice(8)).toEqual(records.slice(8, written));
    cli.child.kill('SIGINT');
    expect((await cli.exited()).code).toBe(0);
  });
});

describe('flagstate tail', { timeout: 30_000 }, () => {
  it('prints a record once when files overlap', () => {
    const file = tmp.path('overlap.ndjson');
    writeFileSync(file, `${records.slice(0, 5).join('\n')}\n`);
    const copy = tmp.path('overlap-copy.ndjson');
    writeFileSync(copy, `${records.slice(3, 7).join('\n')}\n`);
    for (const threads of ['0', '1', '2']) {
      // Read in worker threads, chunk by chunk, and printed in order here.
      const r = runCli(['tail', '--json', '--threads', threads, file, copy, file]);
      expect(r).toMatchObject({ status: 0, stderr: '' });
      expect(lines(r.stdout)).toEqual(records.slice(0, 7));
    }
  });
});
