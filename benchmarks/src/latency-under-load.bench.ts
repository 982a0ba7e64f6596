// Latency under load: the demo's checkout service under a fixed-rate loopback load, with
// flagstate's hook and with the hook removed (the same provider serving the same document).
// p50/p99 are of the flag evaluation inside the request handler.

import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog, fileSink } from '@flagstate/core';
import { StateMachineProvider } from '@flagstate/provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { flagDocument } from '../../examples/checkout-rollout/src/flag-file.js';
import { CheckoutService } from '../../examples/checkout-rollout/src/service.js';
import { registerOtel } from './otel-sdk.js';

const RATE = 400; // requests per second
const SECONDS = 6;
const USERS = 2_000;
const ROUNDS = 2;

/** Sends RATE requests a second for SECONDS over keep-alive loopback connections; bounded. */
async function drive(base: string): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const total = RATE * SECONDS;
  let done = 0;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const user = `user-${(i * 7919) % USERS}`;
    inflight.push(
      new Promise<void>((resolve) => {
        const req = request(`${base}/checkout?user=${user}&region=eu&plan=pro`, { agent }, (res) => {
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

async function variant(name: string, withHook: boolean): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'flagstate-latency-'));
  const provider = new StateMachineProvider({
    source: flagDocument({ v2Percent: 50, gateOn: true, minDwellMs: 1_000 }),
    audit: createAuditLog({ sinks: [fileSink(join(dir, 'audit.ndjson'))] }),
  });
  if (!withHook) provider.hooks.length = 0; // the same provider, its hook removed
  await OpenFeature.setProviderAndWait(name, provider);
  const service = new CheckoutService(OpenFeature.getClient(name), provider);
  const base = await service.listen();
  const served = await drive(base);
  await service.close();
  await provider.onClose();
  if (served < RATE * SECONDS * 0.99) throw new Error(`${name}: only ${served} requests answered`);
  const e = service.stats.evaluation;
  return [e.percentile(50), e.percentile(99), e.count];
}

export async function latencyUnderLoad(): Promise<string> {
  registerOtel();
  const rows = new Map<string, number[][]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, withHook] of [
      ['service without flagstate’s hook (baseline)', false],
      ['service with flagstate (provider + hook)', true],
    ] as const) {
      rows.set(name, [...(rows.get(name) ?? []), await variant(`${name}-${round}`, withHook)]);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const summary = [...rows].map(([name, runs]) => ({
    name,
    p50: median(runs.map((r) => r[0]!)),
    p99: median(runs.map((r) => r[1]!)),
    n: runs.reduce((s, r) => s + r[2]!, 0),
  }));
  const base = summary[0]!;
  return [
    `### Latency under load: the demo service at ${RATE} req/s over loopback, ${SECONDS} s × ${ROUNDS} rounds per variant`,
    '',
    'Flag evaluation time inside the request handler (active span, OpenTelemetry SDK registered).',
    '',
    '| variant | evaluations | p50 ms | p99 ms | p50 × baseline | p99 × baseline |',
    '|---|---:|---:|---:|---:|---:|',
    ...summary.map(
      (s) =>
        `| ${s.name} | ${s.n} | ${s.p50.toFixed(3)} | ${s.p99.toFixed(3)} | ${(s.p50 / base.p50).toFixed(2)} | ${(s.p99 / base.p99).toFixed(2)} |`,
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await latencyUnderLoad());
  process.exit(0);
}
