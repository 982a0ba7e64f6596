import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  type DataPoint,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A reader that collects on demand, so tests read exact metric values. */
class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

export interface Otel {
  readonly spans: InMemorySpanExporter;
  readonly tracer: ReturnType<typeof trace.getTracer>;
  /** Every metric the SDK collected, by name, with the name of the meter (scope) that made it. */
  metrics(): Promise<Map<string, MetricData & { readonly scope: string }>>;
  shutdown(): Promise<void>;
}

/** A real OpenTelemetry SDK registered globally: tracer with in-memory spans, meter with a reader. */
export function setupOtel(): Otel {
  trace.disable();
  metrics.disable();
  context.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  trace.setGlobalTracerProvider(tracerProvider);
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans,
    tracer: trace.getTracer('test'),
    async metrics() {
      const { resourceMetrics } = await reader.collect();
      const out = new Map<string, MetricData & { readonly scope: string }>();
      for (const scope of resourceMetrics.scopeMetrics)
        for (const m of scope.metrics) out.set(m.descriptor.name, { ...m, scope: scope.scope.name });
      return out;
    },
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}

/** Data points as [attributes, value] pairs, for exact comparisons. */
export function points(metric: MetricData | undefined): Array<[Record<string, unknown>, unknown]> {
  return (metric?.dataPoints ?? []).map((p: DataPoint<unknown>) => [p.attributes, p.value]);
}
