// Hook overhead per evaluation, through the server SDK with InMemoryProvider, inside an active
// span with a real OTel SDK. Run as `tsx hook-overhead.bench.ts steady|transition|stages`: each
// group runs in its own process, so one group's hooks do not change another's code paths.
import * as crypto from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog, fileSink } from '@flagstate/audit';
import { StateTransitionHook } from '@flagstate/hook';
import { EventHook, MetricsHook, SpanEventHook } from '@openfeature/open-telemetry-hooks';
import { type Client, type Hook, InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { bench, do_not_optimize } from 'mitata';
import { headline } from './headline.js';
import { inSpan, registerOtel } from './otel-sdk.js';
import { measure, roundRatio, roundRatios, spread, table } from './report.js';
import { machines, servedA, servedB, stageContext } from './transition-fixture.js';

const tracer = registerOtel();
const SUBJECTS = Array.from({ length: 1_000 }, (_, i) => `user-${i}`);
/** Targeting that serves each subject the other state than last time: every evaluation a transition. */
function alternating() {
  const lastServed = new Map<string, 'a' | 'b'>();
  return (ctx: { targetingKey?: string }) => {
    const next = lastServed.get(ctx.targetingKey ?? '') === 'a' ? 'b' : 'a';
    lastServed.set(ctx.targetingKey ?? '', next);
    return next;
  };
}
async function client(name: string, hooks: Hook[], alternate = false): Promise<Client> {
  const provider = new InMemoryProvider({
    checkout: {
      variants: { a: 'flow-a', b: 'flow-b' },
      defaultVariant: 'a',
      disabled: false,
      // Every evaluation a transition: each call serves the other state.
      ...(alternate ? { contextEvaluator: alternating() } : {}),
    },
  } as never);
  await OpenFeature.setProviderAndWait(name, provider);
  const c = OpenFeature.getClient(name);
  c.addHooks(...hooks);
  return c;
}

const emptyHook: Hook = { before() {}, finally() {} };
const auditFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'flagstate-bench-')), `${name}.ndjson`);
const quietLog = (chain: boolean, name: string) =>
  createAuditLog({ sinks: [fileSink(auditFile(name))], chain });

let i = 0;
/** Evaluations made through each client, to check afterwards what they recorded. */
const evaluations = new Map<Client, number>();
const evaluate = (c: Client) => () => {
  i = (i + 1) % SUBJECTS.length;
  evaluations.set(c, (evaluations.get(c) ?? 0) + 1);
  return c.getStringValue('checkout', 'x', { targetingKey: SUBJECTS[i]! });
};

/**
 * Every evaluation through `c` must have written a record, or the group measured steady
 * evaluations: the audit log's sequence counts records (checkpoints only add to it).
 */
function expectEveryEvaluationRecorded(c: Client, hook: StateTransitionHook, name: string): void {
  const made = evaluations.get(c) ?? 0;
  const records = hook.audit.stats().sequence;
  if (made === 0 || records < made) {
    throw new Error(
      `${name}: ${made} evaluations wrote only ${records} records: not every one was a transition`,
    );
  }
}

export async function hookOverhead(group: string): Promise<string> {
  if (group === 'stages') return hookStages();
  if (group === 'stages-transition') return hookStagesTransition();
  const bare = await client('bare', []);
  const empty = await client('empty', [emptyHook]);
  const register: Array<() => void> = [];
  const checks: Array<() => void> = [];
  let title: string;
  if (group === 'steady') {
    title = 'Hook overhead, steady path (full evaluations through the server SDK, in an active span)';
    const steady = await client('steady', [
      new StateTransitionHook({ machines, audit: quietLog(true, 'steady') }),
    ]);
    for (const s of SUBJECTS) await steady.getStringValue('checkout', 'x', { targetingKey: s }); // every subject known
    const otelPair = await client('otel-pair', [new MetricsHook(), new SpanEventHook()]);
    const otelEvent = await client('otel-event', [new EventHook()]);
    register.push(
      () => bench('flagstate hook, steady', evaluate(steady)),
      () => bench('OTel MetricsHook + SpanEventHook', evaluate(otelPair)),
      () => bench('OTel EventHook', evaluate(otelEvent)),
    );
  } else {
    title = 'Hook overhead, every evaluation a transition (audit to a file sink)';
    const onHook = new StateTransitionHook({ machines, audit: quietLog(true, 'on') });
    const offHook = new StateTransitionHook({ machines, audit: quietLog(false, 'off') });
    const chained = await client('chain-on', [onHook], true);
    const unchained = await client('chain-off', [offHook], true);
    register.push(
      () => bench('flagstate hook, transition, chain on', evaluate(chained)),
      () => bench('flagstate hook, transition, chain off', evaluate(unchained)),
    );
    checks.push(
      () => expectEveryEvaluationRecorded(chained, onHook, 'chain on'),
      () => expectEveryEvaluationRecorded(unchained, offHook, 'chain off'),
    );
  }
  const baseline = 'bare (no hook)';
  const rows = await inSpan(tracer, () =>
    measure(() => {
      bench(baseline, evaluate(bare));
      bench('empty hook (before + finally)', evaluate(empty));
      for (const r of register) r();
    }, baseline),
  );
  for (const check of checks) check();
  const empties = rows.find((r) => r.name.startsWith('empty'))!;
  const extra = rows.map((r) => `| ${r.name} | ${(r.ratio / empties.ratio).toFixed(2)} |`);
  return [table(title, rows, baseline), '', '| benchmark | × empty hook |', '|---|---:|', ...extra].join(
    '\n',
  );
}

/** The hooks' own stages called directly with prepared contexts: no SDK cost at all. */
async function hookStages(): Promise<string> {
  const steadyHook = new StateTransitionHook({ machines, audit: quietLog(true, 'stages') });
  const metricsHook = new MetricsHook();
  const spanEventHook = new SpanEventHook();
  const eventHook = new EventHook();
  const hookData = new Map<string, unknown>();
  const contexts = SUBJECTS.map((s) => stageContext(s, hookData)) as never[];
  const details = servedA;
  for (const ctx of contexts) {
    steadyHook.before(ctx);
    steadyHook.finally(ctx, { ...details });
  }
  const baseline = 'OTel MetricsHook + SpanEventHook, before..finally';
  const rows = await inSpan(tracer, () =>
    measure(() => {
      bench(baseline, () => {
        i = (i + 1) % SUBJECTS.length;
        const ctx = contexts[i]!;
        metricsHook.before(ctx);
        metricsHook.after(ctx, details as never);
        metricsHook.finally(ctx);
        do_not_optimize(spanEventHook.finally(ctx, details as never));
      });
      bench('OTel EventHook, finally', () => {
        i = (i + 1) % SUBJECTS.length;
        do_not_optimize(eventHook.finally(contexts[i]!, details as never));
      });
      bench('flagstate hook steady, before + finally', () => {
        i = (i + 1) % SUBJECTS.length;
        const ctx = contexts[i]!;
        steadyHook.before(ctx);
        do_not_optimize(steadyHook.finally(ctx, details as never));
      });
    }, baseline),
  );
  return table('Hook stages called directly (ns per evaluation, no SDK)', rows, baseline);
}

/**
 * What one state change cannot cost less than: `JSON.stringify` of the record it writes (the
 * line itself, 1.2 KB) and one SHA-256 of that text, the fastest way Node has (one-shot).
 */
function serialisationFloor(record: unknown): () => void {
  const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;
  return oneShot === undefined
    ? () => do_not_optimize(crypto.createHash('sha256').update(JSON.stringify(record)).digest('hex'))
    : () => do_not_optimize(oneShot('sha256', JSON.stringify(record)));
}

/** The record a hook's log wrote last, parsed back from its file. */
async function lastRecord(hook: StateTransitionHook, file: string): Promise<unknown> {
  await hook.audit.flush();
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return JSON.parse(lines.at(-1)!);
}

/** The transition path called directly: every call serves the other state, audited to a file, chain on. */
async function hookStagesTransition(): Promise<string> {
  const file = auditFile('stages-transition');
  const hook = new StateTransitionHook({ machines, audit: createAuditLog({ sinks: [fileSink(file)] }) });
  const metricsHook = new MetricsHook();
  const spanEventHook = new SpanEventHook();
  const eventHook = new EventHook();
  const ctx = stageContext('user-1') as never;
  const a = servedA;
  const b = servedB;
  let n = 0;
  let transitions = 0;
  const transition = () => {
    // Its own counter: the subject alternates between a and b on every call, unbroken.
    const details = (transitions & 1) === 0 ? { ...a } : { ...b };
    hook.before(ctx);
    do_not_optimize(hook.finally(ctx, details as never));
    transitions++;
  };
  // Two transitions, in a span as measured, so that the floor serializes a record like theirs.
  const record = await inSpan(tracer, async () => {
    transition();
    transition();
    return lastRecord(hook, file);
  });
  const floor = 'floor: JSON.stringify of the same record + one SHA-256';
  const otelPair = 'OTel MetricsHook + SpanEventHook, before..finally';
  const ours = 'flagstate hook transition (file sink, chain on), before + finally';
  const rows = await inSpan(tracer, () =>
    measure(() => {
      bench(floor, serialisationFloor(record));
      bench(otelPair, () => {
        const details = (n++ & 1) === 0 ? a : b;
        metricsHook.before(ctx);
        metricsHook.after(ctx, details as never);
        metricsHook.finally(ctx);
        do_not_optimize(spanEventHook.finally(ctx, details as never));
      });
      bench('OTel EventHook, finally', () => {
        const details = (n++ & 1) === 0 ? a : b;
        do_not_optimize(eventHook.finally(ctx, details as never));
      });
      bench(ours, transition);
    }, floor),
  );
  if (hook.audit.stats().sequence < transitions) {
    throw new Error(
      `${transitions} calls wrote ${hook.audit.stats().sequence} records: not every one was a transition`,
    );
  }
  const pair = rows.find((r) => r.name === otelPair)!;
  const oursRow = rows.find((r) => r.name === ours)!;
  const floorRow = rows.find((r) => r.name === floor)!;
  headline({
    row: 'one state change in the hook, stages called directly (record, RFC 8785, SHA-256, metrics, span event)',
    measured: `${oursRow.ratio.toFixed(2)}× the floor (${spread(roundRatios(oursRow, floorRow), 2)}); the floor is JSON.stringify of the same record + one SHA-256`,
    goal: '≤ 1.5× that floor',
    met: oursRow.ratio <= 1.5,
  });
  return [
    table(
      `Hook stages called directly, every call a transition (ns per evaluation, no SDK; the record is ${JSON.stringify(record).length} bytes)`,
      rows,
      floor,
    ),
    '',
    `| benchmark | × ${otelPair} |`,
    '|---|---:|',
    ...rows.map((r) => `| ${r.name} | ${roundRatio(r, pair).toFixed(2)} |`),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await hookOverhead(process.argv[2] ?? 'steady'));
  process.exit(0);
}
