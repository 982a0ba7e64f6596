import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packId } from '../src/replay/internal/packed-id.js';
import { SubjectReplay } from '../src/replay/internal/subject-replay.js';

const claim = (id: string, version = 1, time = 0) => {
  const packed = packId(id);
  return {
    version,
    state: 'a',
    machineVersion: 1,
    enteredAt: 0,
    pending: undefined,
    stale: false,
    lastKnown: undefined,
    time,
    a: packed?.[0] ?? -1,
    b: packed?.[1] ?? 0,
    c: packed?.[2] ?? 0,
    text: packed === undefined ? id : undefined,
  };
};

describe('SubjectReplay', () => {
  it('gives back the winning event.id exactly, a UUID kept as numbers or any other text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uuid(), fc.string()), (id) => {
        expect(new SubjectReplay(claim(id)).id).toBe(id);
      }),
      { numRuns: 2_000 },
    );
  });

  it('settles a tie of version and time by the larger event.id, as strings compare', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.oneof(fc.uuid(), fc.string()), (a, b) => {
        const s = new SubjectReplay(claim(a, 3, 7));
        s.offer(claim(b, 3, 7));
        expect(s.id).toBe([a, b].sort()[1]);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps the versions seen as a range while they come in order, and finds the gaps', () => {
    const s = new SubjectReplay(claim('x', 4));
    expect([5, 3, 6].map((v) => s.see(v))).toEqual([true, true, true]);
    expect(s.see(5)).toBe(false);
    expect(s.gaps()).toEqual([[1, 2]]);
    expect([9, 1].map((v) => s.see(v))).toEqual([true, true]);
    expect(s.see(9)).toBe(false);
    expect(s.gaps()).toEqual([
      [2, 2],
      [7, 8],
    ]);
  });
});
