// Memory per tracked subject: 1,000,000 subjects in LruStateStore (written by the engine) against
// a bare Map<string, string> of the same keys and states, each in its own child process.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SUBJECTS = 1_000_000;
const ROUNDS = 3;

interface Sample {
  readonly heapPerSubject: number;
  readonly rssPerSubject: number;
}

function sample(kind: 'map' | 'lru'): Sample {
  const child = fileURLToPath(new URL('memory-child.ts', import.meta.url));
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', child, kind, String(SUBJECTS)],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as Sample;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export function memoryPerSubject(): string {
  const rows = (['map', 'lru'] as const).map((kind) => {
    const samples = Array.from({ length: ROUNDS }, () => sample(kind));
    return {
      kind,
      heap: median(samples.map((s) => s.heapPerSubject)),
      rss: median(samples.map((s) => s.rssPerSubject)),
    };
  });
  const [map, lru] = rows as [(typeof rows)[0], (typeof rows)[0]];
  const name = { map: 'Map<string, string> (baseline)', lru: 'LruStateStore via TransitionEngine' };
  return [
    `### Memory per tracked subject (${SUBJECTS.toLocaleString('en-US')} subjects, median of ${ROUNDS} child processes)`,
    '',
    '| structure | heap bytes/subject | RSS bytes/subject | heap × Map |',
    '|---|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${name[r.kind]} | ${r.heap.toFixed(1)} | ${r.rss.toFixed(1)} | ${(r.heap / map.heap).toFixed(2)} |`,
    ),
    '',
    `Target: ≤ 2× the bare Map. Measured: ${(lru.heap / map.heap).toFixed(2)}×.`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(memoryPerSubject());
}
