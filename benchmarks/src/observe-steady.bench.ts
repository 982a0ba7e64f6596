// Steady `observe` (the state the subject already has) against a bare Map.get, in one run.
import { LruStateStore, parseMachines, TransitionEngine } from '@flagstate/core';
import { LRUCache } from 'lru-cache';
import { bench, do_not_optimize } from 'mitata';
import { measure, table } from './report.js';

const SUBJECTS = 10_000;
const subjects = Array.from({ length: SUBJECTS }, (_, i) => `user-${i}`);

const machines = parseMachines({
  machines: {
    checkout: {
      version: 1,
      initial: 'legacy',
      flags: ['checkout'],
      states: { legacy: {}, canary: { minDwell: '1h' }, v2: { maxDwell: '90d' } },
      transitions: [
        { from: 'legacy', to: 'canary' },
        { from: 'canary', to: 'v2' },
      ],
    },
  },
});
const machine = machines.get('checkout')!;
const engine = new TransitionEngine({ machines, store: new LruStateStore({ maxSubjects: SUBJECTS }) });
const map = new Map<string, string>();
const lru = new LRUCache<string, string>({ max: SUBJECTS });
for (const subject of subjects) {
  engine.observe({ machine, subject, state: 'legacy' });
  map.set(subject, 'legacy');
  lru.set(subject, 'legacy');
}
const observation = { machine, subject: '', state: 'legacy' };

let i = 0;
function register() {
  bench('Map.get (baseline)', () => {
    i = (i + 1) % SUBJECTS;
    do_not_optimize(map.get(subjects[i]!) === 'legacy');
  });
  bench('lru-cache get (the store floor)', () => {
    i = (i + 1) % SUBJECTS;
    do_not_optimize(lru.get(subjects[i]!) === 'legacy');
  });
  bench('TransitionEngine.observe steady', () => {
    i = (i + 1) % SUBJECTS;
    observation.subject = subjects[i]!;
    do_not_optimize(engine.observe(observation));
  });
}

export async function observeSteady(): Promise<string> {
  const baseline = 'Map.get (baseline)';
  const rows = await measure(register, baseline);
  return table('Steady observe vs Map.get (10,000 subjects, LruStateStore)', rows, baseline);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await observeSteady());
}
