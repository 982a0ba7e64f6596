import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRANSITION_EVENT } from '@flagstate/hook';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { logs, NodeSDK, metrics as sdkMetrics, tracing } from '@opentelemetry/sdk-node';
import { type OtlpSignals, otlpSignals } from './otlp-env.js';

// The MetricReader, log and span classes come through @opentelemetry/sdk-node's own re-exports,
// so that they are the very versions its NodeSDK and the exporters (all 0.212) were built with
// (the example's direct sdk-metrics/sdk-trace-base dependencies resolve to newer 2.x releases).

/** A pull reader: nothing is exported on a timer; `collect()` is called once, at the end. */
class CollectingMetricReader extends sdkMetrics.MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/**
 * An in-memory span exporter that counts every span but keeps only those that carry a
 * `flagstate.state_transition` event, so that memory stays bounded under load.
 */
class TransitionSpanExporter extends tracing.InMemorySpanExporter {
  spans = 0;
  events = 0;

  override export(
    spans: tracing.ReadableSpan[],
    resultCallback: Parameters<tracing.InMemorySpanExporter['export']>[1],
  ): void {
    const kept: tracing.ReadableSpan[] = [];
    for (const span of spans) {
      this.spans++;
      const n = span.events.filter((e) => e.name === TRANSITION_EVENT).length;
      this.events += n;
      if (n > 0) kept.push(span);
    }
    super.export(kept, resultCallback);
  }
}

/** One metric as the summary prints it: its data points' attributes and values. */
export interface MetricPoint {
  readonly attributes: Readonly<Record<string, unknown>>;
  /** A counter's or gauge's value; a histogram's count. */
  readonly value: number;
  /** A histogram's sum. */
  readonly sum?: number;
}

export interface Telemetry {
  readonly spans: TransitionSpanExporter;
  /** Which signals go out over OTLP: those whose endpoint the environment configures. */
  readonly otlp: OtlpSignals;
  /** `GET /metrics`: every metric in Prometheus's text format, collected when asked. */
  prometheus(request: IncomingMessage, response: ServerResponse): void;
  /** Collects every metric now, by name. */
  collect(): Promise<Map<string, MetricPoint[]>>;
  /** Exports what is still buffered (OTLP) and stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry Node SDK. Always: in-memory exporters, which the summary reads, and
 * a Prometheus exporter, which the service serves at `/metrics` (no port of its own). Over
 * OTLP/HTTP only when the standard variables configure it (`OTEL_EXPORTER_OTLP_ENDPOINT`, or a
 * signal's own `OTEL_EXPORTER_OTLP_{LOGS,METRICS,TRACES}_ENDPOINT`; headers and timeouts as the
 * exporters read them): logs (the audit stream and the transition events), metrics (every
 * `OTEL_METRIC_EXPORT_INTERVAL` ms, 5000 by default here) and traces. Without them nothing is
 * sent anywhere.
 */
export function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): Telemetry {
  const otlp = otlpSignals(env);
  const spans = new TransitionSpanExporter();
  const reader = new CollectingMetricReader();
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const metricReaders: sdkMetrics.IMetricReader[] = [reader, prometheus];
  if (otlp.metrics) {
    metricReaders.push(
      new sdkMetrics.PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter(),
        exportIntervalMillis: positive(env.OTEL_METRIC_EXPORT_INTERVAL) ?? 5_000,
      }),
    );
  }
  const spanProcessors: tracing.SpanProcessor[] = [new tracing.SimpleSpanProcessor(spans)];
  if (otlp.traces) spanProcessors.push(new tracing.BatchSpanProcessor(new OTLPTraceExporter()));
  const sdk = new NodeSDK({
    serviceName,
    autoDetectResources: false,
    spanProcessors,
    metricReaders,
    // Given explicitly: left out, the SDK would configure an OTLP log exporter to localhost
    // whatever the environment says.
    logRecordProcessors: otlp.logs ? [new logs.BatchLogRecordProcessor(new OTLPLogExporter())] : [],
  });
  sdk.start();
  return {
    spans,
    otlp,
    prometheus: (request, response) => prometheus.getMetricsRequestHandler(request, response),
    async collect() {
      const { resourceMetrics } = await reader.collect();
      const byName = new Map<string, MetricPoint[]>();
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          const points = byName.get(metric.descriptor.name) ?? [];
          for (const p of metric.dataPoints as sdkMetrics.DataPoint<unknown>[]) {
            const v = p.value as number | { count: number; sum?: number };
            points.push(
              typeof v === 'number'
                ? { attributes: p.attributes, value: v }
                : {
                    attributes: p.attributes,
                    value: v.count,
                    ...(v.sum === undefined ? {} : { sum: v.sum }),
                  },
            );
          }
          byName.set(metric.descriptor.name, points);
        }
      }
      return byName;
    },
    shutdown: () => sdk.shutdown(),
  };
}

function positive(raw: string | undefined): number | undefined {
  const value = Number(raw);
  return raw !== undefined && raw.trim() !== '' && Number.isFinite(value) && value > 0 ? value : undefined;
}
