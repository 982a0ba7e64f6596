import type { AuditReport } from './audit-report.js';
import type { Comparison } from './consistency.js';
import type { ConsoleReporter } from './console-reporter.js';
import type { CliResult } from './flagstate-cli.js';
import type { LoadStats } from './load-generator.js';
import type { DemoOptions } from './options.js';
import type { RestartReport } from './restart.js';
import type { RolloutReport } from './rollout-script.js';
import type { ServiceStats } from './service-stats.js';

/** Everything the summary reports, gathered after the service stopped. */
export interface SummaryInput {
  readonly restart: RestartReport | undefined;
  readonly options: DemoOptions;
  readonly elapsedMs: number;
  readonly auditFile: string;
  readonly load: LoadStats;
  readonly service: ServiceStats;
  readonly audit: AuditReport;
  readonly cliVerify: CliResult;
  readonly statez: Comparison;
  readonly snapshot: Comparison;
  readonly metrics: string;
  readonly spans: { readonly total: number; readonly events: number; readonly matched: number };
  readonly mermaid: string;
  readonly rollout: RolloutReport;
  readonly failures: readonly string[];
}

const LABEL = 14;

/** Prints the summary: what was served, what the audit says, and whether the two agree. */
export function printSummary(out: ConsoleReporter, s: SummaryInput): void {
  const row = (label: string, text: string) => out.line(`${label.padEnd(LABEL)} ${text}`);
  const { audit, service, load } = s;
  const seconds = s.elapsedMs / 1000;
  out.line();
  out.line('== summary ==');
  row(
    'run',
    `${seconds.toFixed(1)} s, ${s.options.users} users, ${load.sent} requests (${Math.round(load.sent / seconds)}/s), ` +
      `${load.failed} failed; ${service.errors} evaluation errors`,
  );
  row('audit file', `${s.auditFile}: ${audit.records} records`);
  const r = s.restart;
  if (r !== undefined) {
    row(
      'restart',
      `at ${r.atSeconds.toFixed(1)} s: ${r.subjectsAfter} of ${r.subjectsBefore} subjects rebuilt from the audit files in ${r.rebuildMs.toFixed(0)} ms; ` +
        `${r.heldAfter} of ${r.heldBefore} held subjects still held (same state, version, bake clock and target); ${r.mismatches.length} records changed`,
    );
  }
  const streams = audit.verify.streams;
  row(
    'lifetimes',
    `${streams.length} audit streams, ${streams.filter((x) => x.closed).length} closed; the chain ${audit.verify.ok ? 'verifies' : 'does NOT verify'} across them`,
  );
  out.line('records by action');
  for (const [action, n] of sorted(audit.byAction)) out.line(`  ${action.padEnd(28)} ${pad(n)}`);
  out.line('transitions (from -> to)');
  for (const [edge, n] of sorted(audit.transitions))
    out.line(`  ${edge.replace('->', ' -> ').padEnd(28)} ${pad(n)}`);
  out.line('transitions by name');
  for (const [name, n] of sorted(audit.byName)) out.line(`  ${name.padEnd(28)} ${pad(n)}`);
  row('held', `${total(audit.heldByReason)} records (${describe(audit.heldByReason) || 'none'})`);
  row(
    'illegal',
    `${total(audit.illegalByReason)} records${audit.illegalByReason.size > 0 ? ` (${describe(audit.illegalByReason)})` : ''}` +
      ' (enforce mode: the provider serves only allowed moves)',
  );
  const decisions = sorted(service.byDecision)
    .map(([d, n]) => `${d} ${((100 * n) / Math.max(1, service.requests)).toFixed(1)}%`)
    .join(', ');
  row('enforcement', `per evaluation: ${decisions}`);
  const bad = s.rollout.illegal;
  if (bad === undefined) row('illegal edit', 'NOT reported as refused');
  else {
    row('illegal edit', `flagstate validate exit ${bad.validateCode}`);
    row('', `provider PROVIDER_ERROR: ${bad.providerError.replace(/\s*\n\s*/g, ' ')}`);
    row(
      '',
      `meanwhile ${bad.servedRequests} evaluations were served from revision ${bad.servedRevisions.join(', ')} ` +
        `(the last good one: ${bad.lastGoodRevision}), ${bad.servedErrors} errors`,
    );
  }
  row(
    'latency',
    `flag evaluation in the handler: p50 ${ms(service.evaluation.percentile(50))}, p99 ${ms(service.evaluation.percentile(99))} ` +
      `(${service.evaluation.count} evaluations)`,
  );
  const d = audit.durationsNs;
  row(
    '',
    `audit event.duration (hook before -> finally, state records): p50 ${nanos(d.percentile(50))}, ` +
      `p99 ${nanos(d.percentile(99))}, max ${nanos(d.percentile(100))} (${d.count} records)`,
  );
  row('metrics', s.metrics);
  row(
    'traces',
    `${s.spans.total} request spans, ${s.spans.events} flagstate.state_transition span events; ` +
      `${audit.traced}/${audit.stateRecords} state records carry a trace id, ${s.spans.matched} of those traces exported`,
  );
  const v = audit.verify;
  row(
    'verify',
    v.ok
      ? `ok (verifyAudit): ${v.count} records, ${v.streams.length} stream(s), ${v.streams.every((x) => x.closed) ? 'closed' : 'open'}`
      : `FAILED (verifyAudit): ${v.firstBad?.reason}: ${v.firstBad?.message}`,
  );
  row('verify (cli)', `flagstate verify ${s.auditFile} -> exit ${s.cliVerify.code}: ${s.cliVerify.output}`);
  row('replay', `vs /statez: ${s.statez.ok ? 'match' : 'MISMATCH'} (${s.statez.detail})`);
  row(
    'replay',
    `vs storeSnapshot(provider.store): ${s.snapshot.ok ? 'match' : 'MISMATCH'} (${s.snapshot.detail})`,
  );
  out.line();
  out.line('machine (Mermaid; transition counts on the edges):');
  out.line(s.mermaid.trimEnd());
  out.line();
  if (s.failures.length === 0) {
    row('result', 'OK: the audit chain verifies and its replay rebuilds the service state exactly');
  } else {
    row('result', 'FAILED');
    for (const f of s.failures) out.line(`  - ${f}`);
  }
}

function sorted(map: ReadonlyMap<string, number>): [string, number][] {
  return [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function total(map: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const v of map.values()) n += v;
  return n;
}

function describe(map: ReadonlyMap<string, number>): string {
  return sorted(map)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

const pad = (n: number) => String(n).padStart(7);
const nanos = (ns: number) =>
  Number.isNaN(ns)
    ? 'n/a'
    : ns < 1_000
      ? `${ns} ns`
      : ns < 1e6
        ? `${(ns / 1e3).toFixed(1)} µs`
        : `${(ns / 1e6).toFixed(3)} ms`;
const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : `${value.toFixed(3)} ms`);
