import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { renderMermaid } from '@flagstate/cli/graph';
import { type StateStore, storeSnapshot } from '@flagstate/core';
import { otelLogSink } from '@flagstate/hook';
import { fileSource, StateMachineProvider } from '@flagstate/provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { readAuditReport } from './audit-report.js';
import { printBanner } from './banner.js';
import { compareWithSnapshot, compareWithStatez, type StatezMachine } from './consistency.js';
import { ConsoleReporter } from './console-reporter.js';
import { checkRun } from './expectations.js';
import { flagFileText } from './flag-file.js';
import { runFlagstate } from './flagstate-cli.js';
import { LoadStats, runLoad } from './load-generator.js';
import { metricsLine } from './metrics-line.js';
import type { DemoOptions } from './options.js';
import { startTelemetry } from './otel.js';
import { cleanOutDir } from './out-dir.js';
import { startProgress } from './progress.js';
import { ProviderEventLog } from './provider-events.js';
import { type RestartReport, restartProvider } from './restart.js';
import { INITIAL, planRollout, type RolloutStep } from './rollout-plan.js';
import { runRollout } from './rollout-script.js';
import { CheckoutService, SERVICE_NAME } from './service.js';
import { simulatedUsers } from './simulated-users.js';
import { printSummary } from './summary.js';

export interface DemoResult {
  readonly ok: boolean;
  /** Why the run failed; empty when it passed. */
  readonly failures: readonly string[];
}

/** Runs the whole demo: service, load, rollout, shutdown, audit checks and summary. */
export async function runDemo(options: DemoOptions, out = new ConsoleReporter()): Promise<DemoResult> {
  const flagsPath = join(options.outDir, 'flags.yaml');
  const auditPath = join(options.outDir, 'audit.ndjson');
  const shown = (path: string) => relative(process.cwd(), path) || path;
  await cleanOutDir(options.outDir);
  await writeFile(
    flagsPath,
    flagFileText({ ...INITIAL, minDwellMs: options.minDwellMs }, 'initial: everyone on legacy'),
  );
  // Every step is validated up front, while the service starts.
  const planning = planRollout(join(options.outDir, 'steps'), options.minDwellMs, shown);

  const telemetry = startTelemetry(SERVICE_NAME);
  // The documented durable setup: audit.ndjson and state.snapshot in the demo's folder, from
  // which a restarted provider rebuilds every subject. With OTLP logs configured, the audit
  // stream also goes out as OpenTelemetry log records, and each transition as a log-based event
  // beside its span event.
  const createProvider = () =>
    new StateMachineProvider({
      source: fileSource(shown(flagsPath)),
      durable: {
        dir: options.outDir,
        service: SERVICE_NAME,
        ...(telemetry.otlp.logs ? { sinks: [otelLogSink()] } : {}),
      },
      labels: ['region', 'plan'],
      events: telemetry.otlp.logs ? 'both' : 'span',
    });
  let provider = createProvider();
  let recordsBefore = 0; // records of the provider's earlier lifetimes
  await OpenFeature.setProviderAndWait(provider);
  const events = new ProviderEventLog();
  const service = new CheckoutService(OpenFeature.getClient(SERVICE_NAME), provider, telemetry.prometheus);
  const baseUrl = await service.listen();
  const machine = provider.document?.machines.get('checkout');
  if (machine === undefined) throw new Error('the flag document has no "checkout" machine');
  const plan = await planning;

  printBanner(out, {
    options,
    baseUrl,
    flagsFile: shown(flagsPath),
    auditFile: shown(auditPath),
    otlp: telemetry.otlp,
    plan,
    shown,
  });

  let phase = describePhase(INITIAL);
  const startedAt = performance.now();
  const loadStats = new LoadStats();
  const loadRun = runLoad(
    {
      baseUrl,
      users: simulatedUsers(options.users),
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      maxRequests: options.maxRequests,
    },
    loadStats,
  );
  const stopProgress = startProgress({
    reporter: out,
    startedAt,
    load: loadStats,
    store: () => provider.store,
    records: () => recordsBefore + provider.audit.stats().sequence,
    phase: () => phase,
  });
  // A deploy in the middle of the rollout: once promotion is paused and users are held.
  let restart: RestartReport | undefined;
  const restartService = async () => {
    const until = performance.now() + HOLD_WAIT_SHARE * options.durationMs;
    while (performance.now() < until && !(await anyHeld(provider.store))) await sleep(20);
    const before = provider.audit.stats().sequence;
    const done = await restartProvider(service, provider, createProvider, startedAt);
    recordsBefore += before + 1; // and its closing checkpoint
    provider = done.provider;
    restart = done.report;
    out.line(
      `[${restart.atSeconds.toFixed(1).padStart(5)}s] restart: provider stopped and started again on ${shown(options.outDir)}; ` +
        `${restart.subjectsAfter} subjects rebuilt in ${restart.rebuildMs.toFixed(0)} ms, ${restart.heldAfter} of ${restart.heldBefore} held subjects still held`,
    );
  };
  const rollout = await runRollout(
    {
      flagsPath,
      durationMs: options.durationMs,
      startedAt,
      provider: () => provider,
      events,
      stats: service.stats,
      reporter: out,
      onApplied: (spec) => {
        phase = describePhase(spec);
        // The rollout's next step waits for the restart, as a deploy would hold a change.
        return spec.v2Percent === 100 && !spec.gateOn ? restartService() : undefined;
      },
    },
    plan,
  );
  const load = await loadRun;
  const elapsedMs = performance.now() - startedAt;
  stopProgress();
  // Every transition is counted now: a Prometheus server scraping /metrics gets the final counts.
  if (options.awaitScrapeMs > 0) {
    const scraped = await service.scrapes.next(options.awaitScrapeMs);
    const at = ((performance.now() - startedAt) / 1000).toFixed(1).padStart(5);
    out.line(
      scraped
        ? `[${at}s] metrics: /metrics scraped after the load (${service.scrapes.scrapes} scrapes in all)`
        : `[${at}s] metrics: /metrics not scraped within ${options.awaitScrapeMs} ms after the load`,
    );
  }

  // The service's own view, before it stops: /statez over HTTP, the store in process.
  const statez = (await (await fetch(`${baseUrl}/statez`)).json()) as { machines: StatezMachine[] };
  const snapshot = await storeSnapshot(provider.store);
  const metrics = await telemetry.collect();

  await service.close();
  await OpenFeature.close(); // closes the provider: its audit log, and a last snapshot
  events.dispose();
  const exported = telemetry.spans.getFinishedSpans();
  await telemetry.shutdown();

  const report = readAuditReport([auditPath]);
  const cliVerify = await runFlagstate(['verify', shown(auditPath)]);
  const exportedTraces = new Set(exported.map((span) => span.spanContext().traceId));
  const byStatez = compareWithStatez(report.replay, statez.machines);
  const bySnapshot = compareWithSnapshot(report.replay, snapshot);

  const failures = checkRun({
    restart,
    audit: report,
    cliVerify,
    statez: byStatez,
    snapshot: bySnapshot,
    rollout,
    load,
    service: service.stats,
  });

  printSummary(out, {
    restart,
    options,
    elapsedMs,
    auditFile: shown(auditPath),
    load,
    service: service.stats,
    audit: report,
    cliVerify,
    statez: byStatez,
    snapshot: bySnapshot,
    metrics: metricsLine(metrics),
    spans: {
      total: telemetry.spans.spans,
      events: telemetry.spans.events,
      matched: [...report.traceIds].filter((id) => exportedTraces.has(id)).length,
    },
    mermaid: renderMermaid(machine, { counts: report.transitions }),
    rollout,
    failures,
  });
  return { ok: failures.length === 0, failures };
}

/** How long (a share of the run) the restart waits, after promotion paused, for a held subject. */
const HOLD_WAIT_SHARE = 0.15;

async function anyHeld(store: StateStore): Promise<boolean> {
  for await (const { record } of store.entries?.() ?? []) if (record.pending !== undefined) return true;
  return false;
}

function describePhase(spec: RolloutStep['spec']): string {
  return `v2 ${spec.v2Percent}%${spec.gateOn ? '' : ' (gate off)'}`;
}
