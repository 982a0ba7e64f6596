import { arch, cpus, platform } from 'node:os';
import { run } from 'mitata';

export interface Row {
  readonly name: string;
  readonly nsPerOp: number;
  readonly p50: number;
  readonly p99: number;
}

/** Runs the registered mitata benchmarks quietly and returns one row per benchmark. */
export async function measure(): Promise<Row[]> {
  const result = await run({ format: 'quiet', throw: true });
  return result.benchmarks.map((b) => {
    const stats = b.runs[0]!.stats!;
    return { name: b.alias, nsPerOp: stats.avg, p50: stats.p50, p99: stats.p99 };
  });
}

/** A markdown table with each row's ratio to the baseline row measured in the same run. */
export function table(title: string, rows: readonly Row[], baseline: string): string {
  const base = rows.find((r) => r.name === baseline);
  if (!base) throw new Error(`baseline "${baseline}" was not measured`);
  const lines = [
    `### ${title}`,
    '',
    `| benchmark | ns/op (mean) | p50 | p99 | × ${baseline} |`,
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.nsPerOp.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(r.nsPerOp / base.nsPerOp).toFixed(2)} |`,
    ),
  ];
  return lines.join('\n');
}

export function machineLine(): string {
  return `${cpus()[0]?.model ?? 'unknown cpu'} × ${cpus().length}, ${platform()}-${arch()}, Node ${process.version}`;
}
