// Latency under load: the demo's checkout service under a fixed-rate loopback load, with
// flagstate's hook and with the hook removed (the same provider serving the same document).
// p50/p99 are of the flag evaluation inside the request handler, for two phases: every user's
// first sight, then load over users already seen.

import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog, fileSink } from '@flagstate/audit';
import { StateMachineProvider } from '@flagstate/provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { flagDocument } from '../../examples/checkout-rollout/src/flag-file.js';
import { CheckoutService } from '../../examples/checkout-rollout/src/service.js';
import { headline } from './headline.js';
import { registerOtel } from './otel-sdk.js';
import { median, spread } from './report.js';

const RATE = 400; // requests per second
const SECONDS = 6;
const USERS = 2_000;
const ROUNDS = 2;

/** Sends `total` requests at RATE a second over keep-alive loopback connections, user `user(i)`. */
async function drive(base: string, total: number, user: (i: number) => string): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  let done = 0;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      new Promise<void>((resolve) => {
        const req = request(`${base}/checkout?user=${user(i)}&region=eu&plan=pro`, { agent }, (res) => {
          res.resume();
          res.on('end', () => {
            done++;
            resolve();
          });
        });
        req.setTimeout(5_000, () => req.destroy());
        req.on('error', () => resolve());
        req.end();
      }),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  return done;
}

interface Phases {
  /** p50, p99 and count of the first sight of every user (each writes a state-init record). */
  readonly firstSight: [number, number, number];
  /** The same of the run that follows: mostly steady, with the promotions bake times allow. */
  readonly load: [number, number, number];
}

async function variant(name: string, withHook: boolean): Promise<Phases> {
  const dir = mkdtempSync(join(tmpdir(), 'flagstate-latency-'));
  const provider = new StateMachineProvider({
    source: flagDocument({ v2Percent: 50, gateOn: true, minDwellMs: 1_000 }),
    audit: createAuditLog({ sinks: [fileSink(join(dir, 'audit.ndjson'))] }),
  });
  if (!withHook) provider.hooks.length = 0; // the same provider, its hook removed
  await OpenFeature.setProviderAndWait(name, provider);
  const service = new CheckoutService(OpenFeature.getClient(name), provider);
  const base = await service.listen();
  const seen = await drive(base, USERS, (i) => `user-${i}`);
  const e = service.stats.evaluation;
  const mark = e.count;
  const served = await drive(base, RATE * SECONDS, (i) => `user-${(i * 7919) % USERS}`);
  await service.close();
  await provider.onClose();
  if (seen < USERS * 0.99 || served < RATE * SECONDS * 0.99) {
    throw new Error(`${name}: only ${seen} + ${served} requests answered`);
  }
  return {
    firstSight: [e.percentile(50, 0, mark), e.percentile(99, 0, mark), mark],
    load: [e.percentile(50, mark), e.percentile(99, mark), e.count - mark],
  };
}

export async function latencyUnderLoad(): Promise<string> {
  registerOtel();
  const variants = [
    ['service without flagstate’s hook (baseline)', false],
    ['service with flagstate (provider + hook)', true],
  ] as const;
  const runs = new Map<string, Phases[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, withHook] of variants) {
      runs.set(name, [...(runs.get(name) ?? []), await variant(`${name}-${round}`, withHook)]);
    }
  }
  const table = (phase: keyof Phases) => {
    const rows = [...runs].map(([name, rs]) => ({
      name,
      p50s: rs.map((r) => r[phase][0]),
      p99s: rs.map((r) => r[phase][1]),
      p50: median(rs.map((r) => r[phase][0])),
      p99: median(rs.map((r) => r[phase][1])),
      n: rs.reduce((sum, r) => sum + r[phase][2], 0),
    }));
    const base = rows[0]!;
    return [
      '| variant | evaluations | p50 ms | p50 spread | p99 ms | p99 spread | p50 × baseline | p99 × baseline |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.n} | ${r.p50.toFixed(3)} | ${spread(r.p50s, 3)} | ${r.p99.toFixed(3)} | ${spread(r.p99s, 3)} | ${(r.p50 / base.p50).toFixed(2)} | ${(r.p99 / base.p99).toFixed(2)} |`,
      ),
    ];
  };
  const first = [...runs.values()].map((rs) => rs.map((r) => r.firstSight));
  for (const [i, label] of ['p50', 'p99'].entries()) {
    // Per round, the service with flagstate against the one without it in that round.
    const ratios = first[1]!.map((r, round) => r[i]! / first[0]![round]![i]!);
    const ratio = median(ratios);
    headline({
      row: `first sight of a user, in the demo service under load, ${label}`,
      measured: `${ratio.toFixed(2)}× the service without flagstate (${spread(ratios, 2)})`,
      goal: '≤ 1.5×',
      met: ratio <= 1.5,
    });
  }
  return [
    `### Latency under load: the demo service at ${RATE} req/s over loopback, ${ROUNDS} rounds per variant`,
    '',
    'Flag evaluation time inside the request handler (active span, OpenTelemetry SDK registered),',
    `medians over the rounds. First, each of ${USERS.toLocaleString('en-US')} users is seen once (with flagstate, each`,
    `writes a \`state-init\` record); then ${SECONDS} s of load over the same users: mostly steady, with`,
    'the canary → v2 promotions that the 1 s bake time lets through.',
    '',
    '**First sight of every user**',
    '',
    ...table('firstSight'),
    '',
    `**Load after first sight (${SECONDS} s)**`,
    '',
    ...table('load'),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await latencyUnderLoad());
  process.exit(0);
}
