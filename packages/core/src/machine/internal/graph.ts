import type { Transition } from '../transition.js';

/** Dense tables over state indexes: `table[from * size + to]`. */
export interface GraphTables {
  readonly size: number;
  readonly index: ReadonlyMap<string, number>;
  readonly edge: readonly (Transition | undefined)[];
  readonly hop: readonly (Transition | undefined)[];
  /** Shortest path length; -1 when unreachable. */
  readonly distance: Int32Array;
  /** Every first move of a shortest path from `from` to `to`, in declaration order. */
  readonly hops: readonly (readonly Transition[])[];
}

const NO_HOPS: readonly Transition[] = Object.freeze([]);

/**
 * Builds the edge, next-hop and distance tables with one breadth-first search per state.
 * `transitions` must be in declaration order: that order is the tie-break between equally
 * short paths.
 */
export function buildGraph(states: readonly string[], transitions: readonly Transition[]): GraphTables {
  const size = states.length;
  const index = new Map(states.map((s, i) => [s, i]));
  const edge: (Transition | undefined)[] = new Array(size * size).fill(undefined);
  const out: Transition[][] = states.map(() => []);
  for (const t of transitions) {
    const i = index.get(t.from)!;
    const j = index.get(t.to)!;
    edge[i * size + j] = t;
    out[i]!.push(t);
  }

  const distance = new Int32Array(size * size).fill(-1);
  for (let src = 0; src < size; src++) {
    const row = src * size;
    distance[row + src] = 0;
    const queue = [src];
    for (let head = 0; head < queue.length; head++) {
      const at = queue[head]!;
      for (const t of out[at]!) {
        const next = index.get(t.to)!;
        if (distance[row + next] === -1) {
          distance[row + next] = distance[row + at]! + 1;
          queue.push(next);
        }
      }
    }
  }

  // The next hop toward j is the first-declared transition out of i that lands one step closer.
  const hop: (Transition | undefined)[] = new Array(size * size).fill(undefined);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const d = distance[i * size + j]!;
      if (d <= 0) continue;
      for (const t of out[i]!) {
        if (distance[index.get(t.to)! * size + j] === d - 1) {
          hop[i * size + j] = t;
          break;
        }
      }
    }
  }
  return { size, index, edge, hop, distance, hops: buildHops(size, distance, index, out) };
}

/**
 * For each (i, j): every transition out of i that starts a shortest path to j, the direct one
 * first, then in declaration order. Each of them brings the subject one step closer, so
 * following any of them can never loop, whatever guards close the others.
 */
function buildHops(
  size: number,
  distance: Int32Array,
  index: ReadonlyMap<string, number>,
  out: readonly Transition[][],
) {
  const hops: (readonly Transition[])[] = new Array(size * size).fill(NO_HOPS);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const d = distance[i * size + j]!;
      if (d <= 0) continue;
      const closer = out[i]!.filter((t) => distance[index.get(t.to)! * size + j] === d - 1);
      hops[i * size + j] = Object.freeze(closer);
    }
  }
  return hops;
}
