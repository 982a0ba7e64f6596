import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, writeRollout } from './fixtures/audit-files.js';
import { runCli, tempDir } from './fixtures/run-cli.js';

const tmp = tempDir();
/** A raw escape (ESC) or control sequence introducer (CSI) in what was printed. */
const rawControl = (text: string) => text.includes('\u001b') || text.includes('\u009b');
afterAll(() => tmp.remove());
const file = tmp.path('hostile.ndjson');

beforeAll(async () => {
  const source = tmp.path('source.ndjson');
  await writeRollout(source, { subjects: 1 });
  // A subject that would recolour the terminal and move the cursor if printed as it is.
  writeFileSync(
    file,
    `${readLines(source)
      .map((l) => l.replaceAll('"user-0"', '"user-\\u001b[2J\\u009b1m"'))
      .join('\n')}\n`,
  );
});

describe('text from records', { timeout: 30_000 }, () => {
  it('is printed with its control characters escaped by tail, and as it was with --json', () => {
    const readable = runCli(['tail', file, '--action', 'init']);
    expect(readable.stdout).toContain('checkout user-\\u001b[2J\\u009b1m → legacy (init)');
    expect(rawControl(readable.stdout)).toBe(false);
    const json = runCli(['tail', file, '--action', 'init', '--json']);
    expect(json.stdout).toContain('"user-\\u001b[2J\\u009b1m"');
  });

  it('is printed with a raw DEL escaped by tail, in a file that is all ASCII', () => {
    // DEL is ASCII, and may stand raw in a JSON string: the one character besides a backslash
    // that makes an ASCII line worth a closer look.
    const del = tmp.path('del.ndjson');
    writeFileSync(
      del,
      `${readLines(file)
        .map((l) => l.replaceAll('"user-\\u001b[2J\\u009b1m"', '"user-\u007f0"'))
        .join('\n')}\n`,
    );
    const readable = runCli(['tail', del, '--action', 'init']);
    expect(readable.stdout).toContain('checkout user-\\u007f0 → legacy (init)');
    expect(readable.stdout).not.toContain('\u007f');
  });

  it('is escaped in what replay and verify print', () => {
    // The same subject written by another stream: its conflicts name the subject.
    const other = tmp.path('other.ndjson');
    writeFileSync(
      other,
      readLines(file)
        .map((l) =>
          l
            .replaceAll(JSON.parse(l).audit.stream, '00000000-0000-7000-8000-000000000000')
            .replace(/"id":"0/, '"id":"f'),
        )
        .join('\n'),
    );
    const replay = runCli(['replay', file, other]);
    expect(replay.stdout).toContain('checkout user-\\u001b[2J\\u009b1m version 1: conflict:');
    expect(rawControl(replay.stdout)).toBe(false);
    const verify = runCli(['verify', file]);
    expect(verify.stdout.split('\n')[0]).toMatch(/ edited: /);
    expect(rawControl(verify.stdout)).toBe(false);
  });
});
