import { parseMachines } from '@flagstate/core';
import { describe, expect, it } from 'vitest';
import { checkoutDocument, machineDoc } from './fixtures/checkout.js';

describe('machine graph queries', () => {
  const checkout = parseMachines(checkoutDocument).get('checkout')!;

  it('answers whether a move is allowed, and which transition it is', () => {
    expect(checkout.isAllowed('legacy', 'canary')).toBe(true);
    expect(checkout.isAllowed('legacy', 'v2')).toBe(false);
    expect(checkout.isAllowed('v2', 'legacy')).toBe(true);
    expect(checkout.isAllowed('retired', 'legacy')).toBe(false);
    expect(checkout.isAllowed('nope', 'legacy')).toBe(false);
    expect(checkout.transition('v2', 'legacy')).toMatchObject({
      name: 'rollback',
      index: 2,
      guard: undefined,
    });
    expect(checkout.transition('canary', 'legacy')).toMatchObject({ name: 'rollback', index: 2 });
  });

  it('gives the next hop on a shortest path, and reachability', () => {
    expect(checkout.nextHop('legacy', 'v2')!.name).toBe('start-canary');
    expect(checkout.nextHop('legacy', 'retired')!.to).toBe('canary');
    expect(checkout.nextHop('canary', 'retired')!.name).toBe('promote');
    expect(checkout.nextHop('v2', 'canary')!.name).toBe('rollback');
    expect(checkout.nextHop('legacy', 'legacy')).toBeUndefined();
    expect(checkout.isReachable('retired', 'legacy')).toBe(false);
    expect(checkout.isReachable('v2', 'canary')).toBe(true);
    expect(checkout.distance('legacy', 'retired')).toBe(3);
    expect(checkout.distance('legacy', 'legacy')).toBe(0);
    expect(checkout.distance('retired', 'v2')).toBe(-1);
  });

  it('lists the first moves of every shortest path toward a target, in declaration order', () => {
    const m = parseMachines(
      machineDoc({
        initial: 'a',
        states: { a: {}, x: {}, y: {}, d: {}, e: {} },
        transitions: [
          { from: 'a', to: 'y' },
          { from: 'a', to: 'x' },
          { from: ['x', 'y'], to: 'd' },
          { from: 'd', to: 'a' },
          { from: 'e', to: 'a' },
        ],
      }),
    ).get('m')!;
    expect(m.hopsToward('a', 'd').map((t) => t.to)).toEqual(['y', 'x']);
    expect(m.hopsToward('x', 'a').map((t) => t.to)).toEqual(['d']);
    // A direct move is the only shortest path: no way round it is "toward" the target.
    expect(m.hopsToward('d', 'a').map((t) => t.to)).toEqual(['a']);
    expect(m.hopsToward('a', 'e')).toEqual([]);
    expect(m.hopsToward('a', 'a')).toEqual([]);
    expect(m.hopsToward('a', 'nope')).toEqual([]);
    expect(checkout.hopsToward('canary', 'v2').map((t) => t.name)).toEqual(['promote']);
    // A rollback edge is never a hop toward the state it leaves behind.
    expect(checkout.hopsToward('canary', 'retired').map((t) => t.name)).toEqual(['promote']);
    expect(Object.isFrozen(m.hopsToward('a', 'd'))).toBe(true);
  });

  it('breaks ties between equally short paths by declaration order', () => {
    // a -> x -> d and a -> y -> d are both two hops; x is declared first, then the order flips.
    const states = { a: {}, x: {}, y: {}, d: {} };
    const viaX = parseMachines(
      machineDoc({
        initial: 'a',
        states,
        transitions: [
          { from: 'a', to: 'x' },
          { from: 'a', to: 'y' },
          { from: ['x', 'y'], to: 'd' },
        ],
      }),
    ).get('m')!;
    const viaY = parseMachines(
      machineDoc({
        initial: 'a',
        states,
        transitions: [
          { from: 'a', to: 'y' },
          { from: 'a', to: 'x' },
          { from: ['x', 'y'], to: 'd' },
        ],
      }),
    ).get('m')!;
    expect(viaX.nextHop('a', 'd')!.to).toBe('x');
    expect(viaY.nextHop('a', 'd')!.to).toBe('y');
    // A longer path declared first never wins over a shorter one.
    const shortest = parseMachines(
      machineDoc({
        initial: 'a',
        states,
        transitions: [
          { from: 'a', to: 'x' },
          { from: 'x', to: 'y' },
          { from: 'y', to: 'd' },
          { from: 'a', to: 'd', name: 'direct' },
        ],
      }),
    ).get('m')!;
    expect(shortest.nextHop('a', 'd')!.name).toBe('direct');
    expect(shortest.nextHop('x', 'd')!.to).toBe('y');
  });

  it('agrees with a breadth-first search on a larger generated machine', () => {
    const n = 40;
    const names = Array.from({ length: n }, (_, i) => `s${i}`);
    const transitions = names.flatMap((from, i) => [
      { from, to: names[(i + 1) % n]! },
      { from, to: names[(i * 7 + 3) % n]! },
    ]);
    const unique = transitions.filter(
      (t, i) => t.from !== t.to && transitions.findIndex((u) => u.from === t.from && u.to === t.to) === i,
    );
    const m = parseMachines(
      machineDoc({
        initial: 's0',
        states: Object.fromEntries(names.map((s) => [s, {}])),
        transitions: unique,
      }),
    ).get('m')!;
    const bfs = (from: string, to: string) => {
      const dist = new Map([[from, 0]]);
      const queue = [from];
      while (queue.length) {
        const at = queue.shift()!;
        for (const t of unique.filter((u) => u.from === at)) {
          if (!dist.has(t.to)) {
            dist.set(t.to, dist.get(at)! + 1);
            queue.push(t.to);
          }
        }
      }
      return dist.get(to) ?? -1;
    };
    for (const a of names) {
      for (const b of names) {
        const d = bfs(a, b);
        expect(m.distance(a, b)).toBe(d);
        if (d > 0) expect(bfs(m.nextHop(a, b)!.to, b)).toBe(d - 1);
      }
    }
  });
});
