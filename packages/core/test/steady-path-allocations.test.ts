import { fileURLToPath } from 'node:url';
import { scavengesDuring } from '@flagstate/test-kit';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fixtures/steady-allocations.mjs', import.meta.url));

// Not a timing test: it counts garbage collections. Five million steady observations that
// allocated even 16 bytes each would fill the young generation several times over.
describe('steady path', () => {
  it('allocates nothing: no young-generation collection during 5M steady observations', () => {
    const { count, out, lines } = scavengesDuring(
      script,
      ['5000000'],
      fileURLToPath(new URL('..', import.meta.url)),
    );
    expect(out).toContain('steady 5200000');
    expect(count, lines.join('\n')).toBe(0);
  });
});
