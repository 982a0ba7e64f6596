import type { AuditRecord, AuditSink } from '@flagstate/audit';
import { auditLogRecord } from './internal/audit-log-record.js';
import { GlobalLogger } from './internal/logs-api.js';
import { METER_NAME } from './telemetry-names.js';

/** Options of `otelLogSink`. */
export interface OtelLogSinkOptions {
  /**
   * The sink's name, as the audit log reports it in errors.
   * @default "otel-logs"
   */
  readonly name?: string;
  /**
   * The name of the logger (OpenTelemetry's instrumentation scope) the records are emitted with.
   * @default "@flagstate/hook"
   */
  readonly loggerName?: string;
}

/**
 * An audit sink that emits every record as an OpenTelemetry log record through the Logs API
 * (`@opentelemetry/api-logs`, an optional peer dependency: this throws `LogsApiMissingError`
 * without it). It is a no-op until a logs SDK is registered; from then on the records reach any
 * backend through the SDK's exporters (OTLP to a Collector, for instance).
 *
 * - body: the ECS record, as an object (its hash still verifies: the chain hashes canonical JSON);
 * - attributes: `feature_flag.*` as OpenTelemetry names them, and `flagstate.*`;
 * - severity: INFO or WARN from `log.level`, which is also the `severityText`;
 * - trace context: the record's `trace.id` and `span.id`, none when it has none;
 * - timestamp: `@timestamp`.
 *
 * The SDK batches and exports on its own schedule: shut the SDK down (or force a flush) after
 * closing the audit log, or the last records stay in its buffer. A failed emit throws, and the
 * audit log retries the batch: delivery is at least once (`flagstate.audit.sequence` and
 * `event.id` identify a record).
 */
export function otelLogSink(options: OtelLogSinkOptions = {}): AuditSink {
  const logger = new GlobalLogger(options.loggerName ?? METER_NAME, 'otelLogSink()');
  const write = (chunk: string) => {
    const target = logger.get();
    let start = 0;
    while (start < chunk.length) {
      let end = chunk.indexOf('\n', start);
      if (end < 0) end = chunk.length;
      if (end > start) target.emit(auditLogRecord(JSON.parse(chunk.slice(start, end)) as AuditRecord));
      start = end + 1;
    }
  };
  return { name: options.name ?? 'otel-logs', write, writeSync: write };
}
