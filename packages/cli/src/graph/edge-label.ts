import { formatDuration } from '@flagstate/audit/internal';
import type { Machine, Transition } from '@flagstate/core';

/**
 * Transitions taken per edge, keyed `from->to`, e.g. counted from an audit stream. A Map or a
 * plain object, whichever the caller built.
 */
export type TransitionCounts = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

export interface EdgeLabelOptions {
  /** When given, ` (n)` is appended to each edge's label (0 for an edge never taken). @default undefined */
  readonly counts?: TransitionCounts | undefined;
}

/**
 * What an edge says: the declared name, its guard and the source state's bake time, e.g.
 * `promote [flag: checkout-v2-allowed] after 1h (12)`. A name the document did not give
 * (`from->to`) is left out, since the arrow already says it.
 */
export function edgeLabel(machine: Machine, t: Transition, options: EdgeLabelOptions = {}): string {
  const parts: string[] = [];
  if (t.name !== `${t.from}->${t.to}`) parts.push(t.name);
  if (t.guard?.kind === 'flag') parts.push(`[flag: ${t.guard.flag}]`);
  else if (t.guard?.kind === 'logic') parts.push('[guard]');
  const minDwellMs = machine.state(t.from)?.minDwellMs ?? 0;
  if (minDwellMs > 0) parts.push(`after ${formatDeclared(minDwellMs)}`);
  if (options.counts !== undefined) parts.push(`(${countOf(options.counts, `${t.from}->${t.to}`)})`);
  return parts.join(' ');
}

function countOf(counts: TransitionCounts, key: string): number {
  if (counts instanceof Map) return counts.get(key) ?? 0;
  return (counts as Readonly<Record<string, number>>)[key] ?? 0;
}

/** What a state's note says: its maxDwell, if it has one. */
export function stateNote(machine: Machine, state: string): string | undefined {
  const maxDwellMs = machine.state(state)?.maxDwellMs ?? Number.POSITIVE_INFINITY;
  return Number.isFinite(maxDwellMs) ? `maxDwell ${formatDeclared(maxDwellMs)}` : undefined;
}

/** A duration as a document declares it: `1h`, not `formatDuration`'s `1h 0m`. */
function formatDeclared(ms: number): string {
  return formatDuration(ms).replace(/ 0[a-z]+$/, '');
}
