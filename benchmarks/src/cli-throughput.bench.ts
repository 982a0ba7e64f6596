// CLI throughput: `flagstate verify`, `replay` and `tail` over audit files that the real audit log
// wrote (three process lifetimes on one rotated file), run as a user runs them, each in its own
// process: records per second, and the process's peak RSS (worker threads included).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createAuditLog,
  createAuditRecordFactory,
  fileSink,
  LruStateStore,
  type Outcome,
  outcomeChain,
  parseMachines,
  TransitionEngine,
} from '@flagstate/core';
import { median, spread } from './report.js';

const RECORDS = 300_000;
const SUBJECTS = 30_000;
const LIFETIMES = 3;
const ROUNDS = 3;
/** The built binary (`pnpm bench` builds first). */
const CLI = fileURLToPath(new URL('../../packages/cli/dist/cli.js', import.meta.url));
/** Prints the child's peak RSS (KiB, all threads) to stderr as it exits. */
const PEAK_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS+'\\n'))`;

/** Writes RECORDS records as LIFETIMES restarts of one service, rotating at 32 MiB. */
async function writeInput(dir: string): Promise<string[]> {
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
}

function run(args: readonly string[]): Run {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', PEAK_RSS, CLI, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0)
    throw new Error(`flagstate ${args[0]} exited ${child.status}: ${child.stderr.slice(0, 500)}`);
  const rss = Number(/maxrss=(\d+)/.exec(child.stderr)?.[1]);
  return { seconds, rssMiB: rss / 1024 };
}

export async function cliThroughput(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'flagstate-cli-bench-'));
  try {
    const files = await writeInput(dir);
    const commands: Array<[name: string, args: string[]]> = [
      ['verify', ['verify', ...files]],
      ['verify --threads 0 (one thread)', ['verify', '--threads', '0', ...files]],
      ['replay', ['replay', ...files]],
      ['replay --threads 0 (one thread)', ['replay', '--threads', '0', ...files]],
      ['tail --json (to /dev/null)', ['tail', '--json', ...files]],
    ];
    const rows = commands.map(([name, args]) => {
      const runs = Array.from({ length: ROUNDS }, () => run(args));
      const rates = runs.map((r) => RECORDS / r.seconds);
      return { name, rates, rate: median(rates), rss: Math.max(...runs.map((r) => r.rssMiB)) };
    });
    return [
      `### CLI throughput (${RECORDS.toLocaleString('en-US')} records in ${files.length} files, ${LIFETIMES} process lifetimes; median of ${ROUNDS} runs)`,
      '',
      `Each run is a fresh \`flagstate\` process, start-up included; by default verify and replay use one worker thread per core (${Math.min(availableParallelism(), 4)} here).`,
      '',
      '| command | records/s (median) | spread (min–max) | peak RSS (MiB) |',
      '|---|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${Math.round(r.rate).toLocaleString('en-US')} | ${spread(
            r.rates.map((x) => x / 1000),
            0,
          )}k | ${r.rss.toFixed(0)} |`,
      ),
      '',
      'Target: at least 200,000 records/s for verify and replay on 2 cores; memory independent of input size.',
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await cliThroughput());
  process.exit(0);
}
