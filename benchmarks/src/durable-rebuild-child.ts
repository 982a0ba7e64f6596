// Child process of durability.bench.ts. `generate <dir> <subjects> <records>`: writes state
// records through the durable setup, snapshotting every 100,000 as its timer would, then dies
// by SIGKILL, as a crash leaves the files. `start <dir>`: opens the durable state, prints how
// the store was rebuilt, and dies by SIGKILL too, so that every start reads the same tail.

import { openDurableState, parseMachines, TransitionEngine } from '@flagstate/core';
import { createAuditRecordFactory } from '@flagstate/core/internal';

const [mode, dir, subjectsArg, recordsArg] = process.argv.slice(2) as [string, string, string, string];

if (mode === 'generate') {
  const subjects = Number(subjectsArg);
  const records = Number(recordsArg);
  const machines = parseMachines({
    machines: {
      m: {
        version: 1,
        flags: ['f'],
        initial: 'a',
        states: { a: {}, b: {} },
        transitions: [
          { from: 'a', to: 'b' },
          { from: 'b', to: 'a' },
        ],
      },
    },
  });
  const state = openDurableState({ dir });
  const engine = new TransitionEngine({ machines, store: state.store });
  const build = createAuditRecordFactory();
  for (let i = 0; i < records; i++) {
    const subject = `user-${i % subjects}`;
    const to = Math.floor(i / subjects) % 2 === 0 ? 'a' : 'b';
    const o = engine.observe({ machine: 'm', subject, state: to, at: 1_700_000_000_000 + i });
    if ('action' in o) state.audit.append(build(o, { flagKey: 'f', variant: to }));
    // The last snapshot lands 99,000 records before the end: the longest tail a start reads
    // without taking a snapshot of its own.
    if (i % 100_000 === 1_000) state.snapshot();
  }
  state.audit.flushSync();
} else {
  const state = openDurableState({ dir });
  process.stdout.write(`${JSON.stringify(state.recovery)}\n`);
}
process.kill(process.pid, 'SIGKILL');
