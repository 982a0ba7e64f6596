import { isDeepStrictEqual } from 'node:util';
import type { ReplayedState, ReplayReport } from '@flagstate/audit';

/** `/statez`'s view of one machine: how many subjects are in each state. */
export interface StatezMachine {
  readonly id: string;
  readonly subjects: Readonly<Record<string, number>>;
}

/** A comparison: `ok`, or the first difference found. */
export interface Comparison {
  readonly ok: boolean;
  readonly detail: string;
}

/** Replay's per-machine, per-state counts against `/statez`'s `machines[].subjects`. */
export function compareWithStatez(replay: ReplayReport, machines: readonly StatezMachine[]): Comparison {
  const ids = new Set([...Object.keys(replay.counts), ...machines.map((m) => m.id)]);
  for (const id of [...ids].sort()) {
    const replayed = replay.counts[id] ?? {};
    const served = machines.find((m) => m.id === id)?.subjects ?? {};
    for (const state of new Set([...Object.keys(replayed), ...Object.keys(served)])) {
      if ((replayed[state] ?? 0) !== (served[state] ?? 0)) {
        return {
          ok: false,
          detail: `${id}.${state}: replay counts ${replayed[state] ?? 0}, /statez ${served[state] ?? 0}`,
        };
      }
    }
  }
  const parts = [...ids].sort().map((id) => `${id}: ${describeCounts(replay.counts[id] ?? {})}`);
  return { ok: true, detail: parts.join('; ') };
}

/** The full replay (every subject's record) against `storeSnapshot(provider.store)`. */
export function compareWithSnapshot(replay: ReplayReport, snapshot: readonly ReplayedState[]): Comparison {
  if (replay.conflicts.length > 0) {
    return {
      ok: false,
      detail: `replay found ${replay.conflicts.length} conflicts: ${replay.conflicts[0]?.message}`,
    };
  }
  const length = Math.max(replay.states.length, snapshot.length);
  for (let i = 0; i < length; i++) {
    const a = replay.states[i];
    const b = snapshot[i];
    if (!isDeepStrictEqual(a, b)) {
      return {
        ok: false,
        detail: `first difference at #${i}: replay ${JSON.stringify(a)} vs store ${JSON.stringify(b)}`,
      };
    }
  }
  return { ok: true, detail: `${snapshot.length} subjects, identical records` };
}

function describeCounts(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([state, n]) => `${state} ${n}`)
    .join(', ');
}
