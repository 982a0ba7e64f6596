// Child process of memory-per-subject.bench.ts: builds one structure of N subjects and prints
// how much heap and RSS it took, measured after full garbage collections.
import { LruStateStore, parseMachines, TransitionEngine } from '@flagstate/core';

const [kind = 'map', count = '1000000'] = process.argv.slice(2);
const n = Number(count);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const settle = () => {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage();
};

const machines = parseMachines({
  machines: {
    m: {
      version: 1,
      initial: 'legacy',
      flags: ['f'],
      states: { legacy: {}, canary: {} },
      transitions: [{ from: 'legacy', to: 'canary' }],
    },
  },
});
const states = ['legacy', 'canary'];
const before = settle();
let keep: unknown;
if (kind === 'map') {
  const map = new Map<string, string>();
  for (let i = 0; i < n; i++) map.set(`user-${i}`, states[i & 1]!);
  keep = map;
} else {
  const store = new LruStateStore({ maxSubjects: n });
  const engine = new TransitionEngine({ machines, store });
  const at = Date.now();
  for (let i = 0; i < n; i++)
    engine.observe({ machine: 'm', subject: `user-${i}`, state: states[i & 1]!, at });
  keep = store;
}
const after = settle();
console.log(
  JSON.stringify({
    kind,
    n,
    heapPerSubject: (after.heapUsed - before.heapUsed) / n,
    // Typed arrays (lru-cache's links, the store's packed records) live outside the V8 heap.
    buffersPerSubject: (after.arrayBuffers - before.arrayBuffers) / n,
    rssPerSubject: (after.rss - before.rss) / n,
    alive: keep !== undefined,
  }),
);
