import type { Transition } from '../machine.js';

/** Dense tables over state indexes: `table[from * size + to]`. */
export interface GraphTables {
  readonly size: number;
  readonly index: ReadonlyMap<string, number>;
  readonly edge: readonly (Transition | undefined)[];
  readonly hop: readonly (Transition | undefined)[];
  /** Shortest path length; -1 when unreachable. */
  readonly distance: Int32Array;
  /** Every first move toward `to` that never returns to `from`: closest first, then declared first. */
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
  return { size, index, edge, hop, distance, hops: buildHops(size, index, out) };
}

/**
 * For each (i, j): the transitions out of i from which j can still be reached without passing
 * through i again, ordered by the length of that path, then by declaration. A move back
 * toward where the subject came from is never "on the way".
 */
function buildHops(size: number, index: ReadonlyMap<string, number>, out: readonly Transition[][]) {
  const hops: (readonly Transition[])[] = new Array(size * size).fill(NO_HOPS);
  const dist = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const options: Array<Array<{ t: Transition; d: number; k: number }>> = Array.from(
      { length: size },
      () => [],
    );
    out[i]!.forEach((t, k) => {
      // Breadth-first from t.to in the graph without i.
      dist.fill(-1);
      const start = index.get(t.to)!;
      dist[start] = 0;
      const queue = [start];
      for (let head = 0; head < queue.length; head++) {
        const at = queue[head]!;
        for (const u of out[at]!) {
          const next = index.get(u.to)!;
          if (next !== i && dist[next] === -1) {
            dist[next] = dist[at]! + 1;
            queue.push(next);
          }
        }
      }
      for (let j = 0; j < size; j++) if (j !== i && dist[j]! >= 0) options[j]!.push({ t, d: dist[j]!, k });
    });
    for (let j = 0; j < size; j++) {
      const list = options[j]!;
      if (list.length > 0)
        hops[i * size + j] = Object.freeze(list.sort((a, b) => a.d - b.d || a.k - b.k).map((o) => o.t));
    }
  }
  return hops;
}
