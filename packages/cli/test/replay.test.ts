import { writeFileSync } from 'node:fs';
import type { ReplayedState } from '@flagstate/audit';
import { canonicalJson } from '@flagstate/audit/internal';
import { storeSnapshot } from '@flagstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, writeRollout } from './fixtures/audit-files.js';
import { runCli, tempDir } from './fixtures/run-cli.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const audit = tmp.path('rotated/audit.ndjson');
let files: string[] = [];
let written: ReplayedState[] = [];

beforeAll(async () => {
  const result = await writeRollout(audit, { maxBytes: 4_000 });
  files = result.files;
  written = await storeSnapshot(result.store);
});

describe('flagstate replay', { timeout: 30_000 }, () => {
  it('prints subjects per machine and state as an aligned table', () => {
    const r = runCli(['replay', ...files]);
    expect(r).toMatchObject({ status: 0 });
    expect(r.stdout).toBe(
      [
        'machine   state   subjects',
        'checkout  canary         8',
        'checkout  v2             4',
        '12 subjects in 1 machine, from 28 state records',
        '',
      ].join('\n'),
    );
  });

  it('prints the snapshot with --json, equal to the store the records were written from', () => {
    const r = runCli(['replay', '--json', ...[...files].reverse()]);
    expect(r).toMatchObject({ status: 0 });
    const snapshot = JSON.parse(r.stdout);
    expect(Object.keys(snapshot)).toEqual(['states', 'counts', 'conflicts']);
    expect(snapshot.states).toEqual(JSON.parse(JSON.stringify(written)));
    expect(snapshot.counts).toEqual({ checkout: { canary: 8, v2: 4 } });
    expect(snapshot.conflicts).toEqual([]);
  });

  it('lists conflicts and exits 1 when two streams claim the same subject versions', async () => {
    const other = tmp.path('other.ndjson');
    await writeRollout(other, { subjects: 2 });
    const r = runCli(['replay', ...files, other]);
    expect(r).toMatchObject({ status: 1 });
    const out = r.stdout.split('\n');
    expect(out).toContain('5 conflicts:');
    const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
    for (const [subject, version] of [
      ['user-0', 1],
      ['user-1', 2],
    ]) {
      const line = `  checkout ${subject} version ${version}: conflict: two different records claim version ${version}; kept ${uuid} over ${uuid}`;
      expect(
        out.some((l) => new RegExp(`^${line}$`).test(l)),
        out.join('\n'),
      ).toBe(true);
    }

    const json = runCli(['replay', '--json', ...files, other]);
    expect(json).toMatchObject({ status: 1 });
    const { conflicts } = JSON.parse(json.stdout);
    expect(conflicts).toHaveLength(5);
    // The rule: the later @timestamp wins, then the larger event.id; both rollouts ran on one clock.
    for (const c of conflicts) expect(c.winner > c.losers[0]).toBe(true);
    // The same report whatever the order of the files, with worker threads or without.
    const reversed = runCli(['replay', '--json', '--threads', '2', other, ...[...files].reverse()]);
    expect(reversed.stdout).toBe(json.stdout);
  });

  it('reports a missing version as a gap', () => {
    const all = files.flatMap(readLines);
    // Drop user-3's second record (legacy -> canary): its history then jumps from 1 to 3.
    const dropped = all.filter((l) => {
      const sc = JSON.parse(l).state_change;
      return !(sc?.subject === 'user-3' && sc.subject_version === 2);
    });
    expect(dropped.length).toBe(all.length - 1);
    const file = tmp.path('gap.ndjson');
    writeFileSync(file, `${dropped.join('\n')}\n`);
    const r = runCli(['replay', file]);
    expect(r).toMatchObject({ status: 1 });
    expect(r.stdout).toContain('1 conflict:\n  checkout user-3 version 2: gap: versions 2..2 are missing\n');
  });

  it('names a state record it cannot replay, rather than leaving it out unsaid, in both threads', () => {
    const all = files.flatMap(readLines);
    // user-3's second record, with a last known state that is not a name.
    const at = all.findIndex((l) => {
      const sc = JSON.parse(l).state_change;
      return sc?.subject === 'user-3' && sc.subject_version === 2;
    });
    const record = JSON.parse(all[at]!);
    record.state_change.last_known = 7;
    all[at] = canonicalJson(record)!;
    const file = tmp.path('last-known.ndjson');
    writeFileSync(file, `${all.join('\n')}\n`);
    for (const threads of ['0', '1']) {
      const r = runCli(['replay', '--threads', threads, file]);
      expect(r).toMatchObject({ status: 1 });
      expect(r.stderr).toBe(
        `${file}:${at + 1}: skipped: not an audit record (state_change.last_known: expected a string, got the number 7)\n` +
          'flagstate: 1 line skipped: the snapshot may lack their records\n',
      );
    }
  });

  it('exits 2 when a file cannot be read', () => {
    const r = runCli(['replay', tmp.path('missing.ndjson')]);
    expect(r).toMatchObject({ status: 2 });
    expect(r.stderr).toBe(`flagstate: cannot read ${tmp.path('missing.ndjson')}: no such file\n`);
  });
});
