import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fixtures/steady-allocations.mjs', import.meta.url));

/** Young-generation collections while a stage runs `n` times in a child process. */
function scavenges(stage: string, n = 2_000_000): { count: number; out: string } {
  const out = execFileSync(process.execPath, ['--trace-gc', '--expose-gc', script, stage, String(n)], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
  });
  const lines = out.split('\n');
  const start = lines.indexOf('MARK start');
  const end = lines.indexOf('MARK end');
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return { count: lines.slice(start, end).filter((l) => /Scavenge|Minor/i.test(l)).length, out };
}

// Not timing tests: they count garbage collections. Two million calls that allocated even
// 16 bytes each would fill the young generation (16 MiB at most by default) twice over.
describe('hook steady path', { timeout: 60_000 }, () => {
  it('finally builds nothing for a subject already in its state', () => {
    const { count, out } = scavenges('finally');
    expect(out).toContain('observed 2201000');
    expect(count).toBe(0);
  });

  it('before costs no more than reading the high-resolution clock', () => {
    expect(scavenges('before').count).toBeLessThanOrEqual(scavenges('clock').count + 1);
  });
});
