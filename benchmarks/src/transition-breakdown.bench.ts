// Where one state change's time goes: each stage of the hook's transition path measured on its
// own, in one run, against the serialisation floor (JSON.stringify of the same record plus one
// SHA-256). Run as `tsx transition-breakdown.bench.ts`.
import * as crypto from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditRecordDraft, createAuditLog, fileSink } from '@flagstate/audit';
import { canonicalJson } from '@flagstate/audit/internal';
import { LruStateStore, type Outcome, parseMachines, TransitionEngine } from '@flagstate/core';
import { createAuditRecordFactory, type EvaluationFacts } from '@flagstate/core/internal';
import { StateTransitionHook } from '@flagstate/hook';
import { metrics, trace } from '@opentelemetry/api';
import { bench, do_not_optimize } from 'mitata';
import { inSpan, registerOtel } from './otel-sdk.js';
import { measure, table } from './report.js';
import { machines, servedA, servedB, stageContext } from './transition-fixture.js';

const tracer = registerOtel();
const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;
const sha256 = (text: string) =>
  oneShot === undefined ? crypto.createHash('sha256').update(text).digest('hex') : oneShot('sha256', text);
const auditFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'flagstate-bench-')), `${name}.ndjson`);

export async function transitionBreakdown(): Promise<string> {
  const set = parseMachines(machines);
  const machine = set.forFlag('checkout')!;
  const engine = new TransitionEngine({ machines: set, store: new LruStateStore() });
  const observation = { machine, subject: 'user-1', state: 'a' };
  let flips = 0;
  /** An engine observation that serves the other state than last time: always a transition. */
  const observe = () => {
    observation.state = (flips++ & 1) === 0 ? 'b' : 'a';
    return engine.observe(observation) as Outcome;
  };
  observe();
  const outcome = observe();
  const build = createAuditRecordFactory();
  const facts: EvaluationFacts = {
    flagKey: 'checkout',
    variant: 'b',
    reason: 'STATIC',
    providerName: 'in-memory',
    context: { targetingKey: 'user-1' },
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    durationNs: 12_345,
  };
  const chained = createAuditLog({ sinks: [fileSink(auditFile('breakdown-chain'))] });
  const unchained = createAuditLog({ sinks: [fileSink(auditFile('breakdown-off'))], chain: false });
  // A record as the log writes it: the floor serialises the same bytes.
  const record = chained.append(build(outcome as never, facts));
  const { hash: _omit, ...event } = record.event;
  const withoutHash = { ...record, event };
  const text = JSON.stringify(record);
  const meter = metrics.getMeterProvider().getMeter('breakdown');
  const counter = meter.createCounter('breakdown.transitions');
  const duration = meter.createHistogram('breakdown.duration');
  const dwell = meter.createHistogram('breakdown.dwell');
  const attrs = Object.freeze({
    'feature_flag.key': 'checkout',
    'flagstate.machine': 'checkout',
    'flagstate.from': 'a',
    'flagstate.to': 'b',
    'flagstate.action': 'state-transition',
  });
  const toAttrs = Object.freeze({
    'feature_flag.key': 'checkout',
    'flagstate.machine': 'checkout',
    'flagstate.to': 'b',
  });
  const fromAttrs = Object.freeze({ 'flagstate.machine': 'checkout', 'flagstate.from': 'a' });
  const hook = new StateTransitionHook({
    machines,
    audit: createAuditLog({ sinks: [fileSink(auditFile('breakdown-hook'))] }),
  });
  const ctx = stageContext('user-1') as never;
  let transitions = 0;
  const draft = () => build(outcome as never, facts) as AuditRecordDraft;

  const floor = 'floor: JSON.stringify of the record + one SHA-256';
  const rows = await inSpan(tracer, () => {
    const span = trace.getActiveSpan()!;
    return measure(() => {
      bench(floor, () => do_not_optimize(sha256(JSON.stringify(record))));
      bench('JSON.stringify of the record', () => do_not_optimize(JSON.stringify(record)));
      bench('one SHA-256 of its text (one-shot)', () => do_not_optimize(sha256(text)));
      bench('generic RFC 8785 (safe-stable-stringify)', () => do_not_optimize(canonicalJson(withoutHash)));
      bench('engine: observe + store write', () => do_not_optimize(observe()));
      bench('record factory: build the record', () => do_not_optimize(draft()));
      bench('audit log append, chain off (record built)', () => do_not_optimize(unchained.append(draft())));
      bench('audit log append, chain on (record built)', () => do_not_optimize(chained.append(draft())));
      bench('3 metric updates (counter + 2 histograms)', () => {
        counter.add(1, attrs);
        duration.record(0.000012, toAttrs);
        dwell.record(0.5, fromAttrs);
      });
      bench('span event', () => span.addEvent('flagstate.state_transition', attrs));
      bench('whole hook transition, before + finally', () => {
        hook.before(ctx);
        do_not_optimize(
          hook.finally(ctx, ((transitions++ & 1) === 0 ? { ...servedB } : { ...servedA }) as never),
        );
      });
    }, floor);
  });
  await Promise.all([chained.close(), unchained.close(), hook.audit.close()]);
  return table(
    `Where a state change's time goes: each stage on its own (ns per call; the record is ${text.length} bytes)`,
    rows,
    floor,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await transitionBreakdown());
  process.exit(0);
}
