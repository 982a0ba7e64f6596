// `/statez` at 100,000 subjects: the store's live counts (LruStateStore) against a walk of every
// record on each request (how /statez worked before, and what a store without counts costs
// with countsMaxAgeMs: 0). Per request, and the longest event-loop stall while 20 requests are
// in flight: a walk stalls every evaluation the service is serving meanwhile.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createAuditLog, memorySink } from '@flagstate/audit';
import { LruStateStore, type StateStore, stateRecord } from '@flagstate/core';
import { createDiagnosticsHandler, StateMachineProvider } from '@flagstate/provider';
import { median, spread } from './report.js';

const SUBJECTS = 100_000;
const ROUNDS = 5;
const STATES = ['legacy', 'canary', 'v2'];

const document = {
  flags: {
    checkout: { state: 'ENABLED', variants: { legacy: 'a', canary: 'b', v2: 'c' }, defaultVariant: 'legacy' },
  },
  machines: {
    checkout: {
      version: 1,
      flags: ['checkout'],
      initial: 'legacy',
      states: { legacy: {}, canary: {}, v2: {} },
      transitions: [
        { from: 'legacy', to: 'canary' },
        { from: 'canary', to: 'v2' },
      ],
    },
  },
};

/** The same store seen as one that keeps no counts: /statez must walk it. */
const withoutCounts = (inner: LruStateStore): StateStore => ({
  get: (m, s) => inner.get(m, s),
  compareAndSet: (m, s, v, r) => inner.compareAndSet(m, s, v, r),
  size: () => inner.size(),
  entries: () => inner.entries(),
});

interface Sample {
  readonly perRequestMs: number;
  readonly stallMs: number;
  readonly concurrentMs: number;
}

async function sample(store: StateStore): Promise<Sample> {
  const provider = new StateMachineProvider({
    source: document,
    store,
    audit: createAuditLog({ sinks: [memorySink()] }),
  });
  await provider.initialize();
  const handler = createDiagnosticsHandler(provider, { countsMaxAgeMs: 0 });
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/statez`;
  try {
    for (let i = 0; i < 5; i++) await (await fetch(url)).text(); // warm up
    let started = performance.now();
    for (let i = 0; i < 20; i++) await (await fetch(url)).text();
    const perRequestMs = (performance.now() - started) / 20;
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    started = performance.now();
    await Promise.all(Array.from({ length: 20 }, async () => (await fetch(url)).text()));
    const concurrentMs = performance.now() - started;
    delay.disable();
    return { perRequestMs, stallMs: delay.max / 1e6, concurrentMs };
  } finally {
    server.close();
    await provider.onClose();
  }
}

export async function statezCost(): Promise<string> {
  const store = new LruStateStore({ maxSubjects: SUBJECTS });
  for (let i = 0; i < SUBJECTS; i++)
    store.compareAndSet('checkout', `user-${i}`, 0, stateRecord(STATES[i % 3]!, 1, 1, 0, undefined, false));
  const walk: Sample[] = [];
  const live: Sample[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    walk.push(await sample(withoutCounts(store)));
    live.push(await sample(store));
  }
  const row = (name: string, xs: Sample[]) =>
    `| ${name} | ${median(xs.map((x) => x.perRequestMs)).toFixed(2)} | ${spread(
      xs.map((x) => x.perRequestMs),
      2,
    )} | ${median(xs.map((x) => x.stallMs)).toFixed(1)} | ${median(xs.map((x) => x.concurrentMs)).toFixed(1)} |`;
  const ratio = median(walk.map((x) => x.perRequestMs)) / median(live.map((x) => x.perRequestMs));
  return [
    `### /statez at ${SUBJECTS.toLocaleString('en-US')} subjects (median of ${ROUNDS} rounds, in one process)`,
    '',
    'Per request over HTTP on loopback, then the longest event-loop stall and the wall time while',
    '20 requests are in flight at once.',
    '',
    '| counts | ms/request | spread (min–max) | longest stall, 20 concurrent (ms) | 20 concurrent, wall (ms) |',
    '|---|---:|---:|---:|---:|',
    row('walk of every record per request (before; stores without counts at countsMaxAgeMs 0)', walk),
    row('LruStateStore live counts (now)', live),
    '',
    `A request with live counts is ${ratio.toFixed(0)}× cheaper than a walk, and no longer grows with subjects.`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await statezCost());
}
