// Memory per tracked subject: 1,000,000 subjects in LruStateStore (written by the engine) against
// a bare Map<string, string> of the same keys and states, each in its own child process.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, spread } from './report.js';

const SUBJECTS = 1_000_000;
const ROUNDS = 3;

interface Sample {
  readonly heapPerSubject: number;
  readonly buffersPerSubject: number;
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

export function memoryPerSubject(): string {
  const rows = (['map', 'lru'] as const).map((kind) => {
    const samples = Array.from({ length: ROUNDS }, () => sample(kind));
    return {
      kind,
      heap: median(samples.map((s) => s.heapPerSubject)),
      buffers: median(samples.map((s) => s.buffersPerSubject)),
      totals: samples.map((s) => s.heapPerSubject + s.buffersPerSubject),
      total: median(samples.map((s) => s.heapPerSubject + s.buffersPerSubject)),
      rss: median(samples.map((s) => s.rssPerSubject)),
    };
  });
  const [map, lru] = rows as [(typeof rows)[0], (typeof rows)[0]];
  const name = { map: 'Map<string, string> (baseline)', lru: 'LruStateStore via TransitionEngine' };
  return [
    `### Memory per tracked subject (${SUBJECTS.toLocaleString('en-US')} subjects, median of ${ROUNDS} child processes)`,
    '',
    'Heap is the V8 heap; array buffers are the typed arrays outside it (lru-cache’s links, the',
    'store’s packed records); memory is their sum, the figure compared. RSS is the whole process.',
    '',
    '| structure | heap B/subject | array buffers B/subject | memory B/subject | spread (min–max) | RSS B/subject | memory × Map | RSS × Map |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${name[r.kind]} | ${r.heap.toFixed(1)} | ${r.buffers.toFixed(1)} | ${r.total.toFixed(1)} | ${spread(r.totals)} | ${r.rss.toFixed(1)} | ${(r.total / map.total).toFixed(2)} | ${(r.rss / map.rss).toFixed(2)} |`,
    ),
    '',
    `Target: ≤ 2× the bare Map. Measured: ${(lru.total / map.total).toFixed(2)}× (memory), ${(lru.rss / map.rss).toFixed(2)}× (RSS).`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(memoryPerSubject());
}
