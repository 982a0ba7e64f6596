import { fileURLToPath } from 'node:url';
import { scavengesDuring } from '@flagstate/test-kit';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fixtures/steady-allocations.mjs', import.meta.url));

/** Young-generation collections while a stage runs `n` times in a child process. */
const scavenges = (stage: string, n = 2_000_000) =>
  scavengesDuring(script, [stage, String(n)], fileURLToPath(new URL('..', import.meta.url)));

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
