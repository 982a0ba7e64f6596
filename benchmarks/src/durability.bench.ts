// Durability: what a SIGKILL loses in each mode, and what strict mode costs per state change at
// 1,000 state changes/s against batched mode in the same run. How long a start takes to
// rebuild the store from the audit files is in scaling.bench.ts.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDurableState } from '@flagstate/core';
import { StateMachineProvider } from '@flagstate/provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { headline } from './headline.js';
import { median, spread } from './report.js';

const WRITER = fileURLToPath(new URL('./durable-writer.ts', import.meta.url));
const temp = (name: string) => mkdtempSync(join(tmpdir(), `flagstate-${name}-`));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a writer, kills it with SIGKILL after `ms`, and counts acknowledged state changes missing after a restart. */
async function killOnce(durability: 'batched' | 'strict', pacing: 'yield' | 'tight', ms: number) {
  const dir = temp('kill');
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, durability, pacing], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acked: string[] = [];
  let partial = '';
  let ready!: () => void;
  const started = new Promise<void>((r) => {
    ready = r;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      if (line === 'ready') ready();
      else acked.push(line.slice(4));
    }
  });
  const exited = new Promise((r) => child.on('exit', r));
  await started;
  await sleep(ms);
  child.kill('SIGKILL');
  await exited;
  const state = openDurableState({ dir });
  let lost = 0;
  for (const subject of acked) if (state.store.get('checkout', subject) === undefined) lost++;
  const known = state.store.size();
  await state.close();
  rmSync(dir, { recursive: true, force: true });
  return { acked: acked.length, lost, known };
}

async function lossTable(): Promise<string> {
  const rows: string[] = [];
  for (const durability of ['batched', 'strict'] as const) {
    for (const pacing of ['yield', 'tight'] as const) {
      const runs = [];
      for (let i = 0; i < 6; i++)
        runs.push(await killOnce(durability, pacing, 300 + Math.floor(Math.random() * 700)));
      const lost = runs.map((r) => r.lost);
      const rate = runs.map((r) => r.acked);
      rows.push(
        `| ${durability} | ${pacing} | ${median(rate).toFixed(0)} | ${median(lost)} | ${Math.max(...lost)} | ${runs.filter((r) => r.lost === 0).length}/${runs.length} |`,
      );
    }
  }
  return [
    '### Records lost per SIGKILL',
    '',
    'A child writes one state change per evaluation on the durable setup (`durable: { dir }`) and is killed at a random moment 0.3–1 s into its run, 6 times per row; the next start rebuilds the store, and every acknowledged state change (its evaluation had returned) that the store lacks is lost. `yield`: a macrotask every 64 evaluations, as requests arriving on sockets give; `tight`: a loop that never yields, the worst case for batched writes (their queue is written when it reaches `maxQueue`, 256 lines).',
    '',
    '| mode | pacing | acknowledged before the kill (median) | lost (median) | lost (max) | runs with no loss |',
    '|---|---|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

/** Mean latency and CPU per state change at a paced 1,000 state changes/s: 10 new subjects every 10 ms. */
async function paced(durability: 'batched' | 'strict', seconds: number) {
  const dir = temp('paced');
  const provider = new StateMachineProvider({
    source: {
      flags: { f: { state: 'ENABLED', variants: { a: 'a', b: 'b' }, defaultVariant: 'a' } },
      machines: {
        m: {
          version: 1,
          flags: ['f'],
          initial: 'a',
          enforcement: 'enforce',
          states: { a: {}, b: {} },
          transitions: [{ from: 'a', to: 'b' }],
        },
      },
    },
    durable: { dir, durability },
  });
  await OpenFeature.setProviderAndWait(provider);
  const client = OpenFeature.getClient();
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const tickStart = performance.now();
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const t = performance.now();
        await client.getStringValue('f', 'a', { targetingKey: `s${n++}` });
        latencies.push(performance.now() - t);
      }),
    );
    await sleep(Math.max(0, 10 - (performance.now() - tickStart)));
  }
  const used = process.cpuUsage(cpu);
  await OpenFeature.close();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return {
    meanUs: (latencies.reduce((a, b) => a + b, 0) / latencies.length) * 1000,
    p99Us: latencies[Math.floor(latencies.length * 0.99)]! * 1000,
    cpuUs: (used.user + used.system) / n,
  };
}

async function strictTable(): Promise<string> {
  const rounds: { batched: Awaited<ReturnType<typeof paced>>; strict: Awaited<ReturnType<typeof paced>> }[] =
    [];
  for (let r = 0; r < 3; r++)
    rounds.push({ batched: await paced('batched', 3), strict: await paced('strict', 3) });
  const col = (pick: (x: Awaited<ReturnType<typeof paced>>) => number, mode: 'batched' | 'strict') =>
    rounds.map((r) => pick(r[mode]));
  const row = (label: string, pick: (x: Awaited<ReturnType<typeof paced>>) => number) => {
    const b = col(pick, 'batched');
    const s = col(pick, 'strict');
    const ratios = rounds.map((r) => pick(r.strict) / pick(r.batched));
    return `| ${label} | ${median(b).toFixed(0)} (${spread(b, 0)}) | ${median(s).toFixed(0)} (${spread(s, 0)}) | ${median(ratios).toFixed(2)} |`;
  };
  const latency = median(rounds.map((r) => r.strict.meanUs / r.batched.meanUs));
  headline({
    row: 'durable strict mode, per state change at 1,000 state changes/s (mean evaluation latency)',
    measured: `${latency.toFixed(2)}× batched mode (${spread(
      rounds.map((r) => r.strict.meanUs / r.batched.meanUs),
      2,
    )}); CPU per state change ${median(rounds.map((r) => r.strict.cpuUs / r.batched.cpuUs)).toFixed(2)}×`,
    goal: '≤ 2× batched mode',
    met: latency <= 2,
  });
  return [
    '### Strict mode per state change, at 1,000 state changes/s',
    '',
    'The provider on the durable setup, 10 new subjects (one `state-init` each) every 10 ms for 3 s per mode, 3 rounds alternating; µs, median (spread). Strict awaits one group commit (write + fsync) per event-loop turn before the evaluations return.',
    '',
    '| per state change | batched | strict | × batched |',
    '|---|---:|---:|---:|',
    row('evaluation latency, mean µs', (x) => x.meanUs),
    row('evaluation latency, p99 µs', (x) => x.p99Us),
    row('CPU µs (user + system)', (x) => x.cpuUs),
  ].join('\n');
}

const sections = [await strictTable(), await lossTable()];
console.log(['## Durability', '', ...sections.flatMap((s) => [s, ''])].join('\n').trim());
