// Hook overhead per evaluation, through the server SDK with InMemoryProvider, inside an active
// span with a real OTel SDK. Run as `tsx hook-overhead.bench.ts steady|transition|stages`: each
// group runs in its own process, so one group's hooks do not change another's code paths.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog, fileSink } from '@flagstate/audit';
import { StateTransitionHook } from '@flagstate/hook';
import { EventHook, MetricsHook, SpanEventHook } from '@openfeature/open-telemetry-hooks';
import { type Client, type Hook, InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { bench, do_not_optimize } from 'mitata';
import { inSpan, registerOtel } from './otel-sdk.js';
import { measure, table } from './report.js';

const tracer = registerOtel();
const SUBJECTS = Array.from({ length: 1_000 }, (_, i) => `user-${i}`);
const machines = {
  machines: {
    checkout: {
      version: 1,
      initial: 'a',
      flags: ['checkout'],
      states: { a: {}, b: {} },
      transitions: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
      ],
    },
  },
};

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
  const contexts = SUBJECTS.map((s) => ({
    flagKey: 'checkout',
    defaultValue: 'x',
    flagValueType: 'string',
    context: { targetingKey: s },
    clientMetadata: { providerMetadata: { name: 'in-memory' } },
    providerMetadata: { name: 'in-memory' },
    logger: console,
    hookData,
  })) as never[];
  const details = { flagKey: 'checkout', value: 'flow-a', variant: 'a', reason: 'STATIC', flagMetadata: {} };
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

/** The transition path called directly: every call serves the other state, audited to a file, chain on. */
async function hookStagesTransition(): Promise<string> {
  const hook = new StateTransitionHook({ machines, audit: quietLog(true, 'stages-transition') });
  const metricsHook = new MetricsHook();
  const spanEventHook = new SpanEventHook();
  const eventHook = new EventHook();
  const ctx = {
    flagKey: 'checkout',
    defaultValue: 'x',
    flagValueType: 'string',
    context: { targetingKey: 'user-1' },
    clientMetadata: { providerMetadata: { name: 'in-memory' } },
    providerMetadata: { name: 'in-memory' },
    logger: console,
    hookData: new Map<string, unknown>(),
  } as never;
  const a = { flagKey: 'checkout', value: 'flow-a', variant: 'a', reason: 'STATIC', flagMetadata: {} };
  const b = { ...a, value: 'flow-b', variant: 'b' };
  let n = 0;
  let transitions = 0;
  const baseline = 'OTel MetricsHook + SpanEventHook, before..finally';
  const rows = await inSpan(tracer, () =>
    measure(() => {
      bench(baseline, () => {
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
      bench('flagstate hook transition (file sink, chain on), before + finally', () => {
        // Its own counter: the subject alternates between a and b on every call, unbroken.
        const details = (transitions & 1) === 0 ? { ...a } : { ...b };
        hook.before(ctx);
        do_not_optimize(hook.finally(ctx, details as never));
        transitions++;
      });
    }, baseline),
  );
  if (hook.audit.stats().sequence < transitions) {
    throw new Error(
      `${transitions} calls wrote ${hook.audit.stats().sequence} records: not every one was a transition`,
    );
  }
  return table(
    'Hook stages called directly, every call a transition (ns per evaluation, no SDK)',
    rows,
    baseline,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await hookOverhead(process.argv[2] ?? 'steady'));
  process.exit(0);
}
