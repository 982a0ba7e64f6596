import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fixtures/steady-allocations.mjs', import.meta.url));

// Not a timing test: it counts garbage collections. Five million steady observations that
// allocated even 16 bytes each would fill the young generation several times over.
describe('steady path', () => {
  it('allocates nothing: no young-generation collection during 5M steady observations', () => {
    const out = execFileSync(process.execPath, ['--trace-gc', '--expose-gc', script, '5000000'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
    });
    const lines = out.split('\n');
    const start = lines.indexOf('MARK start');
    const end = lines.indexOf('MARK end');
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(out).toContain('steady 5200000');
    const scavenges = lines.slice(start, end).filter((l) => /Scavenge|Minor/i.test(l));
    expect(scavenges, scavenges.join('\n')).toHaveLength(0);
  });
});
