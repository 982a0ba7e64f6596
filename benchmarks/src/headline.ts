// The performance goals, row by row, as measured: each benchmark records the figure it got (a
// ratio to its baseline in the same run, or a rate) next to its goal, and `pnpm bench` puts
// them first in RESULTS.md, so that the goals are read from one run and never copied by hand.
import { appendFileSync } from 'node:fs';

export interface Headline {
  /** What is measured, e.g. "audit log, chain on, to a file". */
  readonly row: string;
  /** The figure, e.g. "1.12× pino (1.05–1.30)". */
  readonly measured: string;
  /** The goal, e.g. "≤ 1.0× pino". */
  readonly goal: string;
  readonly met: boolean;
}

/** Set by `run-all.ts`: the file that gathers the groups' headlines (each group is a process). */
export const HEADLINES_ENV = 'FLAGSTATE_BENCH_HEADLINES';

/** Records one row; a benchmark run on its own (not through `pnpm bench`) records nothing. */
export function headline(h: Headline): void {
  const file = process.env[HEADLINES_ENV];
  if (file !== undefined && file !== '') appendFileSync(file, `${JSON.stringify(h)}\n`);
}

/** The rows as a markdown table, in the order they were measured. */
export function headlineTable(rows: readonly Headline[]): string {
  return [
    '## Goals, as measured in this run',
    '',
    'Each figure is from this run, against the baseline measured beside it; the sections below give the details and spreads.',
    '',
    '| what | measured | goal | met |',
    '|---|---|---|:---:|',
    ...rows.map((h) => `| ${h.row} | ${h.measured} | ${h.goal} | ${h.met ? 'yes' : '**no**'} |`),
  ].join('\n');
}
