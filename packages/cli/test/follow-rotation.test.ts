import { appendFileSync, copyFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type FileFollower, followFile } from '../src/internal/follow-file.js';
import { pollFollowers } from '../src/internal/poll-followers.js';
import { createPrintedRecords, MAX_HOLES } from '../src/internal/printed-records.js';
import { tempDir } from './fixtures/run-cli.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

// Polled by hand, so that what happens between two polls is exact rather than a race.
describe('pollFollowers', () => {
  let followers: FileFollower[] = [];
  afterEach(() => {
    for (const follower of followers) follower.stop();
    followers = [];
  });

  /** Follows `paths` in the order given; each line read is pushed to the result, as `path:line`. */
  async function follow(...paths: string[]): Promise<string[]> {
    const read: string[] = [];
    for (const path of paths) {
      const name = path.slice(tmp.dir.length + 1);
      const follower = followFile(path, { onLine: (line) => read.push(`${name}:${line}`) });
      followers.push(follower);
      await follower.catchUp();
    }
    return read;
  }
  /** Rotates `live` as a log writer does, and writes `lines` to the new file. */
  const rotate = (live: string, lines: string) => {
    renameSync(`${live}.1`, `${live}.2`);
    renameSync(live, `${live}.1`);
    writeFileSync(live, lines);
  };

  it('reads a path rotated twice between polls in the order written, whatever the order given', async () => {
    for (const order of ['oldest first', 'newest first'] as const) {
      const live = tmp.path(`twice-${order.replace(' ', '-')}.ndjson`);
      writeFileSync(`${live}.1`, 'a\n');
      writeFileSync(live, 'b\n');
      const read = await follow(...(order === 'oldest first' ? [`${live}.1`, live] : [live, `${live}.1`]));
      read.length = 0;

      appendFileSync(live, 'c\n');
      // Within one clock tick, as a busy writer rotates: the files' mtimes are most often equal.
      rotate(live, 'd\n');
      appendFileSync(live, 'e\n');
      rotate(live, 'f\n');
      // `live.1` now holds d and e, which the follower of `live` never saw at its path.
      pollFollowers(followers);
      expect(
        read.map((r) => r.split(':')[1]),
        order,
      ).toEqual(['c', 'd', 'e', 'f']);
      for (const follower of followers) follower.stop();
      followers = [];
    }
  });

  it('finishes every file left behind before it reads a new one', async () => {
    const live = tmp.path('left-behind.ndjson');
    writeFileSync(`${live}.1`, '');
    writeFileSync(live, '1\n');
    const read = await follow(live, `${live}.1`);
    appendFileSync(live, '2\n');
    renameSync(live, `${live}.1`);
    // Written through the writer's descriptor after the rename, before it reopens the path.
    appendFileSync(`${live}.1`, '3\n');
    writeFileSync(live, '4\n');
    pollFollowers(followers);
    // The file `live` was, to its end; the same file again as `live.1` (the printer skips it,
    // being records read before), written before the new `live`; then the new `live`.
    const [a, b] = ['left-behind.ndjson', 'left-behind.ndjson.1'];
    expect(read).toEqual([`${a}:1`, `${a}:2`, `${a}:3`, `${b}:1`, `${b}:2`, `${b}:3`, `${a}:4`]);
  });

  it('reads a file copied away before the one truncated in place (copytruncate)', async () => {
    const live = tmp.path('copied.ndjson');
    writeFileSync(`${live}.1`, '');
    writeFileSync(live, '1\n2\n');
    const read = await follow(live, `${live}.1`);
    appendFileSync(live, '3\n');
    renameSync(`${live}.1`, `${live}.2`);
    copyFileSync(live, `${live}.1`);
    truncateSync(live, 0);
    appendFileSync(live, '4\n');
    pollFollowers(followers);
    // 3 was never read from `live` (it was truncated first): its copy comes before 4.
    const [a, b] = ['copied.ndjson', 'copied.ndjson.1'];
    expect(read).toEqual([`${a}:1`, `${a}:2`, `${b}:1`, `${b}:2`, `${b}:3`, `${a}:4`]);
  });
});

describe('PrintedRecords', () => {
  it('prints a record read after later ones of its stream once the first read is over', () => {
    const printed = createPrintedRecords();
    for (const n of [1, 2, 3]) expect(printed.first('s', n, undefined)).toBe(true);
    printed.settle();
    // Records 6 and 7 come first, from the new file; 4 and 5, from the rotated one, after.
    expect([6, 7, 4, 5, 5, 6, 3].map((n) => printed.first('s', n, undefined))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it(`keeps at most ${MAX_HOLES} holes a stream once settled, taking the oldest for read`, () => {
    const printed = createPrintedRecords();
    printed.settle();
    // Every other sequence: each record leaves a hole before it.
    for (let n = 2; n <= 2 * (MAX_HOLES + 2); n += 2) printed.first('s', n, undefined);
    // 3, between the first two ranges, was taken for read; 1, before them all, is no hole.
    expect(printed.first('s', 3, undefined)).toBe(false);
    expect(printed.first('s', 5, undefined)).toBe(true);
    expect(printed.first('s', 1, undefined)).toBe(true);
    expect(printed.first('s', 2 * (MAX_HOLES + 2) - 1, undefined)).toBe(true);
  });

  it(`brings the holes of the first read down to ${MAX_HOLES} when it ends`, () => {
    const printed = createPrintedRecords();
    // 3,000 records with a hole before each but the first: 2,999 holes, 1,975 too many.
    for (let n = 2; n <= 6_000; n += 2) printed.first('s', n, undefined);
    printed.settle();
    const filled = 3 + 2 * (2_999 - MAX_HOLES - 1);
    expect(printed.first('s', filled, undefined)).toBe(false);
    expect(printed.first('s', filled + 2, undefined)).toBe(true);
  });
});
