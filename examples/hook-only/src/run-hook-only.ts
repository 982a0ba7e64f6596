import { type AuditRecord, createAuditLog, memorySink, verifyAudit } from '@flagstate/audit';
import { formatDuration, parseMachines } from '@flagstate/core';
import { StateTransitionHook } from '@flagstate/hook';
import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { type CheckoutState, checkoutFlags, document } from './checkout.js';

export interface HookOnlyResult {
  /** What the example prints, line by line. */
  readonly lines: string[];
  /** Every audit record written, in order (the closing checkpoint last). */
  readonly records: AuditRecord[];
}

const SUBJECTS = ['user-1', 'user-2', 'user-3'] as const;
const MINUTE = 60_000;

/** One step of the rollout: time passes, targeting changes, every subject is evaluated. */
interface Step {
  readonly afterMs: number;
  readonly say: string;
  readonly assign: Readonly<Record<string, CheckoutState>>;
}

const STEPS: readonly Step[] = [
  { afterMs: 0, say: 'everyone on legacy', assign: {} },
  {
    afterMs: 10 * MINUTE,
    say: 'user-1 and user-2 join the canary',
    assign: { 'user-1': 'canary', 'user-2': 'canary' },
  },
  {
    afterMs: 30 * MINUTE,
    say: 'user-2 promoted before canary baked (1h); user-3 sent straight to v2',
    assign: { 'user-1': 'canary', 'user-2': 'v2', 'user-3': 'v2' },
  },
  {
    afterMs: 60 * MINUTE,
    say: 'user-1 promoted; user-2 rolled back; user-3 stays on v2',
    assign: { 'user-1': 'v2', 'user-2': 'legacy', 'user-3': 'v2' },
  },
];

/**
 * The hook on OpenFeature's InMemoryProvider: each step changes targeting with
 * `putConfiguration` and evaluates `checkout` for every subject; the hook turns each change of
 * a subject's variant into one audit record. Returns the printed lines and the records.
 */
export async function runHookOnly(): Promise<HookOnlyResult> {
  let now = Date.UTC(2026, 10, 23, 9);
  const sink = memorySink(); // or stdoutSink() for NDJSON, or fileSink(path)
  const audit = createAuditLog({ sinks: [sink], service: 'checkout-api' });
  const hook = new StateTransitionHook({
    machines: parseMachines(document),
    audit,
    clock: { now: () => now }, // simulated time, so that canary's 1h bake time takes no hour
  });
  const provider = new InMemoryProvider(checkoutFlags({}));
  await OpenFeature.setProviderAndWait(provider);
  OpenFeature.addHooks(hook);
  const client = OpenFeature.getClient();
  const lines: string[] = [];

  try {
    for (const step of STEPS) {
      now += step.afterMs;
      provider.putConfiguration(checkoutFlags(step.assign));
      const before = audit.stats().sequence;
      const served: string[] = [];
      for (const subject of SUBJECTS) {
        const details = await client.getStringDetails('checkout', 'fallback', { targetingKey: subject });
        served.push(`${subject}=${details.variant ?? '?'} (${details.value})`);
      }
      const written = audit.stats().sequence - before;
      lines.push(`${clock(now)}  ${step.say}`);
      lines.push(`        served: ${served.join(', ')}; ${written} record${written === 1 ? '' : 's'}`);
    }
  } finally {
    OpenFeature.clearHooks();
    await OpenFeature.close();
    await audit.close(); // writes the closing checkpoint and flushes the sink
  }

  const records = [...sink.records];
  lines.push('', `audit records (${records.length}):`);
  for (const record of records) lines.push(`  ${describe(record)}`);
  const report = verifyAudit(records);
  lines.push('', `hash chain: ${report.ok ? 'ok' : 'BROKEN'}, ${report.count} records`);
  return { lines, records };
}

/** `#7  state-transition-illegal  user-3  legacy → v2  [not_allowed]`, or the record's message. */
function describe(record: AuditRecord): string {
  const seq = `#${record.event.sequence ?? '?'}`.padEnd(4);
  const action = (record.event.action ?? '').padEnd(25);
  const sc = record.state_change;
  if (sc === undefined) return `${seq} ${action} ${record.message}`;
  const name = sc.transition === undefined ? '' : ` (${sc.transition})`;
  const dwell = sc.dwell_ms === undefined ? '' : ` after ${formatDuration(sc.dwell_ms)}`;
  const why = sc.reason === undefined ? '' : `  [${sc.reason}]`;
  return `${seq} ${action} ${sc.subject.padEnd(7)} ${sc.from ?? '∅'} → ${sc.to}${name}${dwell}${why}`;
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}
