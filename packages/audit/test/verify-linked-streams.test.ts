import { join } from 'node:path';
import { readAuditLines, verifyAudit } from '@flagstate/audit';
import { describe, expect, it } from 'vitest';
import { lifetimes, readLines, relink, scratchDir, streamOf, writeLines } from './support/lifetimes.js';

/** Three lifetimes of one writer on one file: streams a, b, c, each continuing the one before. */
async function threeLifetimes(crash: number[] = []) {
  const dir = scratchDir();
  const path = join(dir, 'audit.ndjson');
  const [a, b, c] = (await lifetimes(path, [9, 6, 5], crash)) as [string, string, string];
  const lines = readLines(path);
  const of = (s: string) => lines.filter((l) => streamOf(l) === s);
  return { dir, path, a, b, c, lines, of };
}

const verifyLines = (dir: string, lines: readonly string[], options = {}) =>
  verifyAudit(readAuditLines([writeLines(join(dir, 'input.ndjson'), lines)]), options);

describe('verifyAudit across process lifetimes', () => {
  it('verifies a restart chain of three lifetimes as one lineage', async () => {
    const { path, a, b, c } = await threeLifetimes();
    const report = verifyAudit(readAuditLines([path]));
    expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
    expect(report.lineages).toEqual([[a, b, c]]);
    expect(report.streams.map((s) => [s.stream, s.previous, s.closed, s.sealed])).toEqual([
      [a, undefined, true, false],
      [b, a, true, false],
      [c, b, true, false],
    ]);
  });

  it('accepts a stream that ended in a crash once the next lifetime sealed it, and says so', async () => {
    const { path, a, b, c } = await threeLifetimes([1]);
    const report = verifyAudit(readAuditLines([path]));
    expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
    expect(report.lineages).toEqual([[a, b, c]]);
    expect(report.streams.find((s) => s.stream === b)).toMatchObject({ closed: true, sealed: true });
  });

  it('finds a deleted run: a stream whose predecessor is not in the input', async () => {
    const { dir, b, c, lines } = await threeLifetimes();
    const report = verifyLines(
      dir,
      lines.filter((l) => streamOf(l) !== b),
    );
    expect(report.firstBad).toMatchObject({ reason: 'missing_stream', stream: c, sequence: 1 });
    expect(report.firstBad!.message).toContain(`continues stream ${b}`);
    expect(report.lineages).toHaveLength(2);
  });

  it('excuses a deleted oldest run with requireStart off only where retention could have deleted it', async () => {
    const { dir, a, b, c, of } = await threeLifetimes();
    // Retention deletes whole files, oldest first: b's record 1 then begins the oldest file kept.
    const pruned = verifyAudit(
      readAuditLines([writeLines(join(dir, 'b.ndjson'), of(b)), writeLines(join(dir, 'c.ndjson'), of(c))]),
      {
        requireStart: false,
      },
    );
    expect(pruned.ok, JSON.stringify(pruned.firstBad)).toBe(true);
    expect(pruned.lineages).toEqual([[b, c]]);
    // A run cut out of the middle of a file is no retention, even with requireStart off.
    const cut = verifyLines(dir, [...of(a), ...of(c)], { requireStart: false });
    expect(cut.firstBad).toMatchObject({ reason: 'missing_stream', stream: c });
  });

  it('finds a run whose tail was cut after the next lifetime started, naming both streams', async () => {
    const { dir, a, b, c, of } = await threeLifetimes();
    const cutA = of(a).slice(0, -2);
    const report = verifyLines(dir, [...cutA, ...of(b), ...of(c)]);
    expect(report.firstBad).toMatchObject({ reason: 'truncated', stream: a, line: cutA.length });
    expect(report.firstBad!.message).toContain(`stream ${a} ends at record ${cutA.length}`);
    expect(report.firstBad!.message).toContain(`stream ${b}`);
    // --allow-open excuses only the newest stream of a lineage, not one another continues.
    expect(verifyLines(dir, [...cutA, ...of(b), ...of(c)], { requireClosed: false }).firstBad?.reason).toBe(
      'truncated',
    );
    expect(verifyLines(dir, [...of(a), ...of(b), ...of(c).slice(0, -1)], { requireClosed: false }).ok).toBe(
      true,
    );
  });

  it('finds records added to a run after the next lifetime started', async () => {
    const { dir, a, b, c, of } = await threeLifetimes();
    // Two records slipped in before a's close, the chain computed again: only b's link tells.
    const [first, second] = of(a);
    const longer = relink([...of(a).slice(0, -1), first!, second!, of(a).at(-1)!].map(renumber), undefined);
    const report = verifyLines(dir, [...longer, ...of(b), ...of(c)]);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.reason)).toContain('chain_broken');
    expect(report.problems.find((p) => p.stream === a)?.message).toContain(`where stream ${b}`);
  });

  it('finds a run from another chain that claims to continue this one', async () => {
    const { dir, a, b, c, of } = await threeLifetimes();
    const foreign = relink(of(c), { stream: b, sequence: of(b).length, hash: 'f'.repeat(64) });
    const report = verifyLines(dir, [...of(a), ...of(b), ...foreign]);
    expect(report.firstBad).toMatchObject({ reason: 'chain_broken', stream: c, sequence: 1 });
    expect(report.firstBad!.message).toMatch(/continues another chain/);
    // A run of another writer's chain names a stream that is not here at all.
    const other = await threeLifetimes();
    const spliced = verifyLines(dir, [...of(a), ...of(b), ...other.of(other.c)]);
    expect(spliced.firstBad).toMatchObject({ reason: 'missing_stream', stream: other.c });
  });

  it('finds a fork: two streams that continue the same one', async () => {
    const { dir, a, b, of, path } = await threeLifetimes();
    const twin = join(dir, 'twin.ndjson');
    writeLines(twin, [...of(a), ...of(b)]);
    const [fork] = await lifetimes(twin, [3]);
    const report = verifyAudit(
      readAuditLines([
        path,
        writeLines(
          join(dir, 'fork.ndjson'),
          readLines(twin).filter((l) => streamOf(l) === fork),
        ),
      ]),
    );
    expect(report.firstBad).toMatchObject({ reason: 'forked' });
    expect(report.firstBad!.message).toContain(`continue stream ${b}`);
    expect(report.lineages).toHaveLength(1);
    expect(report.lineages[0]).toEqual(expect.arrayContaining([a, b, fork!]));
  });

  it('accepts independent lineages side by side, such as two replicas', async () => {
    const one = await threeLifetimes();
    const two = await threeLifetimes([0]);
    const report = verifyAudit(readAuditLines([two.path, one.path]));
    expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
    expect(report.lineages).toHaveLength(2);
    expect(report.lineages).toEqual(
      expect.arrayContaining([
        [one.a, one.b, one.c],
        [two.a, two.b, two.c],
      ]),
    );
  });
});

/** A run's records numbered 1, 2, 3… again, checkpoints counting the records before them. */
function renumber(line: string, i: number): string {
  const r = JSON.parse(line);
  r.event.sequence = i + 1;
  if (r.audit.checkpoint !== undefined) r.audit.checkpoint.count = i;
  return JSON.stringify(r);
}
