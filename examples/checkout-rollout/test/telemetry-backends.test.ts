import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AuditRecord, readAuditFiles } from '@flagstate/audit';
import { findPrometheus, prometheusUnavailable } from '@flagstate/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRun, runDemoProcess } from './support/demo-process.js';
import { attributes, decode, OtlpReceiver } from './support/otlp-receiver.js';
import { PrometheusServer, type Sample } from './support/prometheus-server.js';

const JOB = 'checkout-api';
const skipPrometheus = prometheusUnavailable();

/**
 * One run of the demo with its telemetry going to real backends: a Prometheus server of the
 * test's own scrapes its /metrics (when Debian's prometheus is installed; under CI it must be),
 * and OTLP/HTTP goes to a stand-in for a Collector's receiver. What each backend holds must
 * equal the audit file.
 */
describe('examples/checkout-rollout: metrics in Prometheus, and logs, metrics and traces over OTLP', () => {
  const work = mkdtempSync(join(tmpdir(), 'flagstate-demo-backends-'));
  const cwd = join(work, 'demo');
  let prometheus: PrometheusServer | undefined;
  let otlp: OtlpReceiver;
  let run: DemoRun;
  /** Epoch seconds of the scrape the demo waited for, after its load: the final counts. */
  let scrapedAt: number | undefined;
  let records: AuditRecord[];

  beforeAll(async () => {
    mkdirSync(cwd);
    otlp = await OtlpReceiver.start();
    const binary = skipPrometheus === undefined ? findPrometheus() : undefined;
    if (binary !== undefined) {
      const dir = join(work, 'prometheus');
      mkdirSync(dir);
      prometheus = await PrometheusServer.start(binary, dir, JOB);
    }
    run = await runDemoProcess(
      cwd,
      {
        DEMO_DURATION_MS: '6000',
        DEMO_USERS: '100',
        ...(prometheus === undefined ? {} : { DEMO_AWAIT_SCRAPE_MS: '15000' }),
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
        OTEL_METRIC_EXPORT_INTERVAL: '1000',
      },
      (line) => {
        const service = /^ {2}service\s+http:\/\/(127\.0\.0\.1:\d+)/.exec(line);
        if (service) prometheus?.setTargets([service[1]!]);
        if (/metrics: \/metrics scraped after the load/.test(line)) scrapedAt = Date.now() / 1000;
      },
    );
    records = readAuditFiles([join(cwd, 'flagstate-demo', 'audit.ndjson')]).map(
      (e) => e.record as AuditRecord,
    );
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    await otlp?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** State records by action, from the audit file: what `flagstate.transitions` counts. */
  const auditCounts = () => {
    const counts: Record<string, number> = {};
    for (const r of records) if (r.state_change) counts[r.event.action] = (counts[r.event.action] ?? 0) + 1;
    return counts;
  };

  it('runs, and says where its telemetry goes', () => {
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/^result\s+OK/m);
    expect(run.stdout).toContain(`  otlp        logs, metrics, traces to ${otlp.endpoint} (OTLP/HTTP)`);
  });

  it.skipIf(skipPrometheus !== undefined)(
    `Prometheus scrapes /metrics: flagstate_transitions_total by action equals the audit file${skipPrometheus ? ` (skipped: ${skipPrometheus})` : ''}`,
    { timeout: 30_000 },
    async () => {
      const server = prometheus!;
      expect(
        scrapedAt,
        `the demo was never scraped after its load\n${run.stdout}\n${server.output}`,
      ).toBeDefined();
      const expected = auditCounts();
      expect(Object.keys(expected).length).toBeGreaterThanOrEqual(3);
      const byAction = (samples: Sample[]) =>
        Object.fromEntries(samples.map((s) => [s.metric.flagstate_action, s.value]));
      // Poll: the scrape's samples are queryable once Prometheus has appended them.
      const expr = `sum by (flagstate_action) (flagstate_transitions_total{job="${JOB}"})`;
      let got: Record<string, number> = {};
      for (let i = 0; i < 50; i++) {
        got = byAction(await server.query(expr, scrapedAt!));
        if (JSON.stringify(Object.entries(got).sort()) === JSON.stringify(Object.entries(expected).sort()))
          break;
        await sleep(200);
      }
      expect(got).toEqual(expected);
      console.log(`Prometheus ${expr} = ${JSON.stringify(got)}; audit file: ${JSON.stringify(expected)}`);

      // Every panel of the shipped Grafana dashboard queries a series that exists.
      const dashboard = JSON.parse(
        readFileSync(new URL('../grafana/flagstate-dashboard.json', import.meta.url), 'utf8'),
      ) as { panels: { title: string; targets?: { expr: string }[] }[] };
      const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => [p.title, t.expr] as const));
      expect(exprs.length).toBeGreaterThanOrEqual(5);
      for (const [title, panelExpr] of exprs) {
        // Grafana's variables, as the dashboard's defaults give them over the demo's run.
        const concrete = panelExpr
          .replaceAll('$__rate_interval', '1m')
          .replaceAll('$__range', '5m')
          .replaceAll('$machine', '.+');
        const samples = await server.query(concrete, scrapedAt!);
        expect(samples.length, `dashboard panel "${title}": ${concrete} gave no series`).toBeGreaterThan(0);
      }
    },
  );

  it('sends the audit stream as OTLP log records equal to the audit file, and the transition events beside them', () => {
    const received = otlp.logRecords();
    const audit = received.filter((l) => l.eventName === undefined || l.eventName === '');
    const events = received.filter((l) => l.eventName === 'flagstate.state_transition');
    expect(audit.length + events.length).toBe(received.length);
    // Every record of both lifetimes, in order, its body the very record.
    expect(audit.map((l) => decode(l.body))).toEqual(records);
    const illegalOrHeld = audit.find(
      (l) => attributes(l.attributes)['flagstate.action'] === 'state-transition-held',
    );
    expect(illegalOrHeld?.severityText).toBe('info');
    const traced = audit.find((l) => (decode(l.body) as AuditRecord).trace !== undefined)!;
    const body = decode(traced.body) as AuditRecord;
    expect([traced.traceId, traced.spanId]).toEqual([body.trace!.id, body.span!.id]);
    expect(attributes(traced.attributes)).toMatchObject({
      'feature_flag.key': 'checkout',
      'feature_flag.provider.name': 'flagstate',
      'feature_flag.context.id': body.feature_flag!.context!.id,
      'flagstate.machine': 'checkout',
      'flagstate.action': body.event.action,
      'flagstate.audit.sequence': body.event.sequence,
    });
    // One log-based transition event per state record (events: 'both' in the demo).
    expect(events).toHaveLength(records.filter((r) => r.state_change).length);
  });

  it('sends the metrics over OTLP too: flagstate.transitions by action equals the audit file', () => {
    const byAction: Record<string, number> = {};
    for (const { attributes: a, value } of otlp.lastSum('flagstate.transitions').values()) {
      const action = String(a['flagstate.action']);
      byAction[action] = (byAction[action] ?? 0) + value;
    }
    expect(byAction).toEqual(auditCounts());
    expect((otlp.received.get('/v1/traces') ?? []).length).toBeGreaterThan(0);
  });
});
