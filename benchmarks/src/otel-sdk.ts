import { context, metrics, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type LogRecordExporter,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

class DiscardingExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (r: { code: 0 }) => void) {
    done({ code: 0 });
  }
  async shutdown() {}
}

class DiscardingLogExporter implements LogRecordExporter {
  export(_records: ReadableLogRecord[], done: (r: { code: 0 }) => void) {
    done({ code: 0 });
  }
  async shutdown() {}
}

class IdleReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

/** A real OpenTelemetry SDK (traces, metrics, logs), registered globally, as a service would run it. */
export function registerOtel() {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new DiscardingExporter())] }),
  );
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new IdleReader()] }));
  // OpenFeature's EventHook emits OpenTelemetry log records: without a provider it does nothing.
  logs.setGlobalLoggerProvider(
    new LoggerProvider({ processors: [new BatchLogRecordProcessor(new DiscardingLogExporter())] }),
  );
  return trace.getTracer('bench');
}

/** Runs `fn` inside an active span, as a request handler would evaluate flags. */
export function inSpan<T>(tracer: ReturnType<typeof trace.getTracer>, fn: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan('request', async (span) => {
    try {
      return await fn();
    } finally {
      span.end();
    }
  });
}
