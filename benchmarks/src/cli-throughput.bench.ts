// CLI throughput: `flagstate verify`, `replay` and `tail` over audit files that the real audit log
// wrote (three process lifetimes on one rotated file), run as a user runs them, each in its own
// process: records per second, CPU time per record (all threads), and the process's peak RSS
// (worker threads included). On a shared machine rates move with the load, so each round also
// times a bare reader of the same files (read in 1 MiB chunks, split into lines, JSON.parse of
// each, in one thread), and each command is given as a ratio to that baseline's rate in the same
// round, with the load average.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuditLog, fileSink } from '@flagstate/audit';
import { LruStateStore, type Outcome, outcomeChain, parseMachines, TransitionEngine } from '@flagstate/core';
import { createAuditRecordFactory } from '@flagstate/core/internal';
import { headline } from './headline.js';
import { median, spread } from './report.js';

const RECORDS = 300_000;
const SUBJECTS = 30_000;
const LIFETIMES = 3;
const ROUNDS = 3;
/** The built binary (`pnpm bench` builds first). */
const CLI = fileURLToPath(new URL('../../packages/cli/dist/cli.js', import.meta.url));
/** Prints the child's peak RSS (KiB, all threads) and CPU time (µs, all threads) to stderr as it exits. */
const PEAK_RSS = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('maxrss='+u.maxRSS+' cpu='+(u.userCPUTime+u.systemCPUTime)+'\\n')})`;
/** Counts the records of `files` as the CLI reads them: 1 MiB chunks, lines decoded in 64 KiB blocks, each parsed. */
const COUNT_RECORDS = `
function countRecords(files) {
  const chunk = Buffer.allocUnsafe(1 << 20);
  let records = 0;
  for (const file of files) {
    const fd = openSync(file, 'r');
    let carry = Buffer.alloc(0);
    for (let position = 0; ; ) {
      const n = readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) break;
      position += n;
      const bytes = Buffer.concat([carry, chunk.subarray(0, n)]);
      const end = bytes.lastIndexOf(10) + 1;
      for (let from = 0; from < end; ) {
        let to = Math.min(from + 65536, end);
        if (to < end) to = bytes.lastIndexOf(10, to - 1) + 1;
        const text = bytes.toString('utf8', from, to);
        for (let start = 0; start < text.length; ) {
          const stop = text.indexOf('\\n', start);
          if (JSON.parse(text.slice(start, stop)).event !== undefined) records++;
          start = stop + 1;
        }
        from = to;
      }
      carry = Buffer.from(bytes.subarray(end));
    }
    closeSync(fd);
  }
  return records;
}
`;
/**
 * The floor to compare with: what any reader of these files pays, in one thread, to see every
 * record once as JSON.
 */
const BASELINE = `
import { closeSync, openSync, readSync } from 'node:fs';
${COUNT_RECORDS}
if (countRecords(process.argv.slice(1)) === 0) process.exit(1);
`;
/**
 * The same on both cores: a worker thread takes every other file. Replay and tail parse every
 * record, so this is their ceiling here; verify scans lines instead of parsing them.
 */
const PARSE_ON_TWO_THREADS = `
import { closeSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
${COUNT_RECORDS}
const files = process.argv.slice(1);
const other = new Worker(
  "const { closeSync, openSync, readSync } = require('node:fs');" +
    "const { parentPort, workerData } = require('node:worker_threads');" +
    countRecords.toString() + ";parentPort.postMessage(countRecords(workerData));",
  { eval: true, execArgv: [], workerData: files.filter((_, i) => i % 2 === 1) },
);
const theirs = new Promise((resolve, reject) => { other.once('message', resolve); other.once('error', reject); });
const mine = countRecords(files.filter((_, i) => i % 2 === 0));
if (mine + (await theirs) === 0) process.exit(1);
`;

/** Writes RECORDS records as LIFETIMES restarts of one service, rotating at 32 MiB. */
export async function writeInput(dir: string): Promise<string[]> {
  const machines = parseMachines({
    machines: {
      checkout: {
        version: 3,
        initial: 'legacy',
        flags: ['checkout'],
        states: { legacy: {}, canary: {}, v2: {} },
        transitions: [
          { from: 'legacy', to: 'canary', name: 'start-canary' },
          { from: 'canary', to: 'v2', name: 'promote' },
          { from: 'v2', to: 'legacy', name: 'rollback' },
        ],
      },
    },
  });
  const states = ['legacy', 'canary', 'v2'];
  const store = new LruStateStore({ maxSubjects: SUBJECTS });
  let now = Date.UTC(2026, 0, 1);
  const engine = new TransitionEngine({ machines, store, clock: { now: () => now } });
  const build = createAuditRecordFactory({ labels: ['region'] });
  const path = join(dir, 'audit.ndjson');
  let written = 0;
  for (let life = 0; life < LIFETIMES; life++) {
    const log = createAuditLog({
      sinks: [fileSink(path, { maxBytes: 32 * 1024 * 1024 })],
      service: 'checkout-api',
    });
    for (let i = 0; written < ((life + 1) * RECORDS) / LIFETIMES; i++) {
      now += 7;
      const subject = `user-${(i * 7919) % SUBJECTS}`;
      const current = store.get('checkout', subject);
      const state = states[current === undefined ? 0 : (states.indexOf(current.state!) + 1) % 3]!;
      for (const o of outcomeChain(engine.observe({ machine: 'checkout', subject, state }) as Outcome)) {
        log.append(
          build(o, {
            flagKey: 'checkout',
            variant: state,
            reason: 'TARGETING_MATCH',
            providerName: 'flagstate',
            context: { region: 'eu-west' },
            traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
            spanId: '00f067aa0ba902b7',
            durationNs: 183_000,
          }),
        );
        written++;
      }
      if (i % 5_000 === 0) await log.flush();
    }
    await log.close();
  }
  return readdirSync(dir).map((name) => join(dir, name));
}

interface Run {
  readonly seconds: number;
  readonly rssMiB: number;
  /** CPU time of all the process's threads, µs. */
  readonly cpuMicros: number;
  readonly load: number;
}

function run(args: readonly string[], script: string[] = [CLI]): Run {
  const load = loadavg()[0]!;
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', PEAK_RSS, ...script, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0)
    throw new Error(`flagstate ${args[0]} exited ${child.status}: ${child.stderr.slice(0, 500)}`);
  const rss = Number(/maxrss=(\d+)/.exec(child.stderr)?.[1]);
  const cpu = Number(/cpu=(\d+)/.exec(child.stderr)?.[1]);
  return { seconds, rssMiB: rss / 1024, cpuMicros: cpu, load };
}

export async function cliThroughput(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'flagstate-cli-bench-'));
  try {
    const files = await writeInput(dir);
    const commands: Array<[name: string, args: string[], script?: string[]]> = [
      [
        'floor: JSON.parse of every record on two threads (no CLI)',
        files,
        ['--input-type=module', '-e', PARSE_ON_TWO_THREADS],
      ],
      ['verify', ['verify', ...files]],
      ['verify --threads 0 (one thread)', ['verify', '--threads', '0', ...files]],
      ['replay', ['replay', ...files]],
      ['replay --threads 0 (one thread)', ['replay', '--threads', '0', ...files]],
      ['tail --json (to /dev/null)', ['tail', '--json', ...files]],
      ['tail --json --threads 0 (one thread)', ['tail', '--json', '--threads', '0', ...files]],
      ['tail (readable lines, to /dev/null)', ['tail', ...files]],
    ];
    // Round by round, every command once and the baseline before it: a command is compared with
    // the baseline run next to it, under the same load.
    const runs = new Map<string, { run: Run; base: Run }[]>(commands.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, args, script] of commands) {
        const base = run(files, ['--input-type=module', '-e', BASELINE]);
        runs.get(name)!.push({ run: run(args, script), base });
      }
    }
    const rate = (r: Run) => RECORDS / r.seconds;
    const rows = commands.map(([name]) => {
      const rs = runs.get(name)!;
      const rates = rs.map(({ run: r }) => rate(r));
      return {
        name,
        rates,
        rate: median(rates),
        ratio: median(rs.map(({ run: r, base }) => rate(r) / rate(base))),
        base: median(rs.map(({ base }) => rate(base))),
        cpu: median(rs.map(({ run: r }) => r.cpuMicros / RECORDS)),
        rss: Math.max(...rs.map(({ run: r }) => r.rssMiB)),
        load: rs.map(({ run: r }) => r.load),
      };
    });
    const loads = rows.flatMap((r) => r.load);
    const floor = rows[0]!;
    for (const r of rows.filter((r) => ['verify', 'replay', 'tail --json (to /dev/null)'].includes(r.name))) {
      headline({
        row: `\`flagstate ${r.name.replace(' (to /dev/null)', '')}\`, ${files.length} files on ${availableParallelism()} cores`,
        measured: `${Math.round(r.rate / 1000)}k records/s (${spread(
          r.rates.map((x) => x / 1000),
          0,
        )}k); JSON.parse of every record on two threads: ${Math.round(floor.rate / 1000)}k/s`,
        goal: '≥ 200k records/s',
        met: r.rate >= 200_000,
      });
    }
    const rss = Math.max(...rows.slice(1).map((r) => r.rss));
    headline({
      row: `peak RSS of verify, replay and tail over ${files.length} files (${RECORDS.toLocaleString('en-US')} records)`,
      measured: `${rss.toFixed(0)} MiB`,
      goal: '≤ 256 MiB, whatever the input size',
      met: rss <= 256,
    });
    return [
      `### CLI throughput (${RECORDS.toLocaleString('en-US')} records in ${files.length} files, ${LIFETIMES} process lifetimes; median of ${ROUNDS} runs)`,
      '',
      `Each run is a fresh \`flagstate\` process, start-up included; by default verify, replay and tail use ${Math.min(Math.max(availableParallelism() - 1, 0), 3)} worker thread(s) besides the main thread, which reads chunks too (${availableParallelism()} cores here). The baseline is a bare reader of the same files in one thread (1 MiB chunks, lines split, JSON.parse of each), run just before each command, so that the ratio holds under the machine's load (load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} during the runs).`,
      '',
      '| command | records/s (median) | spread (min–max) | baseline records/s | × baseline | CPU µs/record | peak RSS (MiB) |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${Math.round(r.rate).toLocaleString('en-US')} | ${spread(
            r.rates.map((x) => x / 1000),
            0,
          )}k | ${Math.round(r.base).toLocaleString('en-US')} | ${r.ratio.toFixed(2)} | ${r.cpu.toFixed(1)} | ${r.rss.toFixed(0)} |`,
      ),
      '',
      'Target: at least 200,000 records/s for verify, replay and tail on 2 cores; memory independent of input size.',
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await cliThroughput());
  process.exit(0);
}
