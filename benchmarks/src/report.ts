import { arch, cpus, platform } from 'node:os';
import { run } from 'mitata';

export interface Row {
  readonly name: string;
  /** Median over the rounds of each round's mean ns/op. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Median over the rounds of the ratio to the baseline measured in that same round. */
  readonly ratio: number;
  /** Each round's mean ns/op, in round order: for ratios to another row, round by round. */
  readonly rounds: readonly number[];
}

/** Rounds per benchmark group: enough for a median and a spread, and `pnpm bench` within 10 min on 2 cores. */
const ROUNDS = 4;

/** The median of repeated measurements (the mean of the middle two for an even count). */
export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Registers and runs mitata benchmarks `rounds` times, so that one noisy round on a shared
 * machine does not decide the result, and returns one row per benchmark.
 */
export async function measure(register: () => void, baseline: string, rounds = ROUNDS): Promise<Row[]> {
  const samples = new Map<string, number[]>();
  const ratios = new Map<string, number[]>();
  for (let r = 0; r < rounds; r++) {
    register(); // mitata forgets its benchmarks after each run
    const result = await run({ format: 'quiet', throw: true });
    const means = new Map(result.benchmarks.map((b) => [b.alias, b.runs[0]!.stats!.avg]));
    const base = means.get(baseline);
    if (base === undefined) throw new Error(`baseline "${baseline}" was not measured`);
    for (const [name, ns] of means) {
      samples.set(name, [...(samples.get(name) ?? []), ns]);
      ratios.set(name, [...(ratios.get(name) ?? []), ns / base]);
    }
  }
  return [...samples].map(([name, xs]) => ({
    name,
    median: median(xs),
    min: Math.min(...xs),
    max: Math.max(...xs),
    ratio: median(ratios.get(name)!),
    rounds: xs,
  }));
}

/** The median over the rounds of `row`'s time over `base`'s in the same round. */
export function roundRatio(row: Row, base: Row): number {
  return median(roundRatios(row, base));
}

/** Each round's ratio of `row` to `base`, measured in that round. */
export function roundRatios(row: Row, base: Row): number[] {
  return row.rounds.map((ns, r) => ns / base.rounds[r]!);
}

/** A markdown table: median ns/op, spread over the rounds, and the ratio to the baseline. */
export function table(title: string, rows: readonly Row[], baseline: string, rounds = ROUNDS): string {
  const lines = [
    `### ${title}`,
    '',
    `Median of ${rounds} rounds; the ratio is taken against the baseline within each round.`,
    '',
    `| benchmark | ns/op (median) | spread (min–max) | × ${baseline} |`,
    '|---|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)}–${r.max.toFixed(1)} | ${r.ratio.toFixed(2)} |`,
    ),
  ];
  return lines.join('\n');
}

export function machineLine(): string {
  return `${cpus()[0]?.model ?? 'unknown cpu'} × ${cpus().length}, ${platform()}-${arch()}, Node ${process.version}`;
}

/** `min–max` of repeated measurements, for a table's spread column. */
export function spread(xs: readonly number[], digits = 1): string {
  return `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
}
