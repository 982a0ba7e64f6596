import { appendFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, writeRollout } from './fixtures/audit-files.js';
import { type RunningCli, runCli, spawnCli, tempDir } from './fixtures/run-cli.js';

const tmp = tempDir();
let records: string[] = [];
const running: RunningCli[] = [];
const MiB = 1024 * 1024;

beforeAll(async () => {
  const source = tmp.path('source.ndjson');
  await writeRollout(source, { subjects: 2 });
  records = readLines(source);
});
afterAll(() => {
  for (const cli of running) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  tmp.remove();
});

const lines = (stdout: string) => stdout.split('\n').filter(Boolean);

describe('flagstate tail on large input', { timeout: 60_000 }, () => {
  it('follows a line written in many pieces in linear time, then the records after it', async () => {
    const file = tmp.path('growing.ndjson');
    writeFileSync(file, `${records[0]}\n`);
    const cli = spawnCli(['tail', '--follow', '--json', file]);
    running.push(cli);
    await cli.waitForStdout((out) => lines(out).length >= 1);
    // 15 MiB without a newline, in 1 MiB appends: re-joining the line on every read is quadratic.
    const piece = 'x'.repeat(MiB);
    for (let i = 0; i < 15; i++) appendFileSync(file, piece);
    appendFileSync(file, `\n${records[1]}\n`);
    await cli.waitForStdout((out) => lines(out).length >= 2, 20_000);
    cli.child.kill('SIGINT');
    expect(await cli.exited()).toEqual({ code: 0, signal: null });
    expect(lines(cli.stdout())).toEqual(records.slice(0, 2));
    expect(cli.stderr()).toBe(`${file}:2: not JSON, skipped\n`);
  });

  it('stops on SIGINT while it is still reading a large file', async () => {
    const file = tmp.path('large.ndjson');
    writeFileSync(file, `${records[0]}\n`);
    appendFileSync(file, Buffer.alloc(96 * MiB, 'y'));
    const cli = spawnCli(['tail', '--follow', '--json', file]);
    running.push(cli);
    await cli.waitForStdout((out) => lines(out).length >= 1, 10_000);
    cli.child.kill('SIGINT');
    expect(await cli.exited(5_000)).toEqual({ code: 0, signal: null });
  });

  it('skips a line longer than 16 MiB with a warning, without holding it, and prints the rest', () => {
    const file = tmp.path('huge-line.ndjson');
    writeFileSync(file, `${records[0]}\n`);
    appendFileSync(file, Buffer.alloc(65 * MiB, 'z'));
    appendFileSync(file, `\n${records[1]}\n`);
    const r = runCli(['tail', '--json', file]);
    expect(r).toMatchObject({ status: 0 });
    expect(lines(r.stdout)).toEqual(records.slice(0, 2));
    expect(r.stderr).toBe(
      `${file}:2: line is ${65 * MiB} bytes, longer than ${16 * MiB}: not read, skipped\n`,
    );
  });
});
