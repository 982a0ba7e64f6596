import { NodeSDK, metrics as sdkMetrics, tracing } from '@opentelemetry/sdk-node';

// The MetricReader and span classes come through @opentelemetry/sdk-node's own re-exports, so
// that they are the very versions its NodeSDK was built with (the example's direct
// sdk-metrics/sdk-trace-base dependencies resolve to newer 2.x releases than sdk-node's).

/** A pull reader: nothing is exported on a timer; `collect()` is called once, at the end. */
class CollectingMetricReader extends sdkMetrics.MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/**
 * An in-memory span exporter that counts every span but keeps only those that carry a
 * `feature_flag.state_transition` event, so that memory stays bounded under load.
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
      const n = span.events.filter((e) => e.name === 'feature_flag.state_transition').length;
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
  /** Collects every metric now, by name. */
  collect(): Promise<Map<string, MetricPoint[]>>;
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry Node SDK with in-memory exporters only: nothing is printed or sent
 * anywhere, and the summary reads what was recorded.
 */
export function startTelemetry(serviceName: string): Telemetry {
  const spans = new TransitionSpanExporter();
  const reader = new CollectingMetricReader();
  const sdk = new NodeSDK({
    serviceName,
    autoDetectResources: false,
    spanProcessors: [new tracing.SimpleSpanProcessor(spans)],
    metricReaders: [reader],
    // Without this, the SDK configures an OTLP log exporter from the environment.
    logRecordProcessors: [],
  });
  sdk.start();
  return {
    spans,
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
