// Audit throughput to a file: our log with the chain off, on, and on with signed checkpoints,
// against pino writing an object of the same size to the same kind of file, in one run.
// Each iteration appends a batch and yields once, as a service does between requests.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditLog, type AuditRecordDraft, createAuditLog, fileSink } from '@flagstate/audit';
import { LruStateStore, parseMachines, type StateOutcome, TransitionEngine } from '@flagstate/core';
import { createAuditRecordFactory } from '@flagstate/core/internal';
import { bench } from 'mitata';
import pino from 'pino';
import { headline } from './headline.js';
import { measure, roundRatios, spread, table } from './report.js';

const BATCH = 1_000;
const dir = mkdtempSync(join(tmpdir(), 'flagstate-throughput-'));
const file = (name: string) => join(dir, `${name}.ndjson`);
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A batch of realistic transition records; the log overwrites their place on each append. */
function drafts(): AuditRecordDraft[] {
  const machines = parseMachines({
    machines: {
      checkout: {
        version: 3,
        initial: 'legacy',
        flags: ['checkout'],
        states: { legacy: {}, canary: {} },
        transitions: [{ from: 'legacy', to: 'canary', name: 'start-canary' }],
      },
    },
  });
  const engine = new TransitionEngine({ machines, store: new LruStateStore() });
  const build = createAuditRecordFactory({ labels: ['region'] });
  return Array.from({ length: BATCH }, (_, i) => {
    engine.observe({ machine: 'checkout', subject: `user-${i}`, state: 'legacy', at: 1 });
    const o = engine.observe({ machine: 'checkout', subject: `user-${i}`, state: 'canary', at: 86_400_000 });
    return build(o as StateOutcome, {
      flagKey: 'checkout',
      variant: 'canary',
      reason: 'TARGETING_MATCH',
      providerName: 'flagstate',
      context: { region: 'eu-west' },
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      durationNs: 183_000,
    });
  });
}

export async function auditThroughput(): Promise<string> {
  const batch = drafts();
  const logs: AuditLog[] = [
    createAuditLog({ sinks: [fileSink(file('chain-off'))], chain: false, service: 'checkout-api' }),
    createAuditLog({ sinks: [fileSink(file('chain-on'))], service: 'checkout-api' }),
    createAuditLog({
      sinks: [fileSink(file('signed'))],
      service: 'checkout-api',
      signingKey: generateKeyPairSync('ed25519').privateKey,
      checkpointEvery: 100,
    }),
  ];
  // pino gets the same object, as the record line our log writes, so both write the same bytes.
  logs[1]!.append(batch[0]!);
  const sameSize = JSON.parse(JSON.stringify(batch[0]));
  const destination = pino.destination({ dest: file('pino'), sync: false, minLength: 4096 });
  const logger = pino({ base: null, timestamp: false }, destination);

  const appendAll = (log: AuditLog) => async () => {
    for (const d of batch) log.append(d);
    await tick();
  };
  const baseline = `pino, same-size object (per ${BATCH} records)`;
  const rows = await measure(() => {
    bench(baseline, async () => {
      for (let i = 0; i < BATCH; i++) logger.info(sameSize);
      await tick();
    });
    bench(`flagstate audit log, chain off (per ${BATCH})`, appendAll(logs[0]!));
    bench(`flagstate audit log, chain on (per ${BATCH})`, appendAll(logs[1]!));
    bench(`flagstate audit log, chain on, signed checkpoint every 100 (per ${BATCH})`, appendAll(logs[2]!));
  }, baseline);
  await Promise.all(logs.map((l) => l.close()));
  const chainOn = rows.find((r) => r.name.startsWith('flagstate audit log, chain on ('))!;
  const pinoRow = rows.find((r) => r.name === baseline)!;
  headline({
    row: 'audit log, chain on, to a file',
    measured: `${chainOn.ratio.toFixed(2)}× pino's time per record (${spread(roundRatios(chainOn, pinoRow), 2)})`,
    goal: '≤ 1.0× pino',
    met: chainOn.ratio <= 1.0,
  });
  destination.flushSync();
  const perRecord = rows.map((r) => ({
    ...r,
    median: r.median / BATCH,
    min: r.min / BATCH,
    max: r.max / BATCH,
  }));
  return [
    table(
      'Audit throughput to a file (ns per record; ratio to pino writing the same bytes)',
      perRecord,
      baseline,
    ),
    '',
    ...perRecord.map((r) => `- ${r.name}: ${Math.round(1e9 / r.median).toLocaleString('en-US')} records/s`),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await auditThroughput());
  process.exit(0);
}
