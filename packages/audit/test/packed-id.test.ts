import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packId, unpackId } from '../src/replay/internal/packed-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('packId', () => {
  it('packs exactly the lower-case UUIDs, in numbers that give the text back and compare as it does', () => {
    const hex = fc.constantFrom(...'0123456789abcdef');
    const uuid = fc
      .tuple(...[8, 4, 4, 4, 12].map((n) => fc.string({ unit: hex, minLength: n, maxLength: n })))
      .map((parts) => parts.join('-'));
    const near = fc.oneof(
      uuid,
      uuid.map((u) => u.toUpperCase()),
      fc
        .tuple(uuid, fc.nat(35), fc.constantFrom('-', 'g', 'A', ' ', '0', ''))
        .map(([u, i, c]) => u.slice(0, i) + c + u.slice(i + 1)),
      fc.string(),
    );
    fc.assert(
      fc.property(near, near, (x, y) => {
        const [p, q] = [packId(x), packId(y)];
        expect(p !== undefined, x).toBe(UUID.test(x));
        if (p === undefined || q === undefined) return;
        expect(unpackId(...p)).toBe(x);
        const order = p[0] - q[0] || p[1] - q[1] || p[2] - q[2];
        expect(Math.sign(order)).toBe(x < y ? -1 : x > y ? 1 : 0);
      }),
      { numRuns: 2000 },
    );
  });
});
