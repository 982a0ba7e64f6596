import type { AuditRecord } from '@flagstate/audit';
import { type Context, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import type { AnyValueMap, LogAttributes, LogRecord } from '@opentelemetry/api-logs';
import { ATTR } from '../telemetry-names.js';
import { severityOf } from './severity.js';

/**
 * One audit record as an OpenTelemetry log record: the ECS record as the body, the record's own
 * time, severity from `log.level` (its text as `severityText`), the record's trace context, and
 * the attributes that a backend filters on.
 */
export function auditLogRecord(record: AuditRecord): LogRecord {
  const level = record.log?.level;
  const log: LogRecord = {
    body: record as unknown as AnyValueMap,
    severityNumber: severityOf(level),
    attributes: auditAttributes(record),
    context: traceContext(record),
  };
  // A Date, not a number: OpenTelemetry reads a number older than the process as
  // performance.now() time.
  const at = new Date(record['@timestamp']);
  if (!Number.isNaN(at.getTime())) log.timestamp = at;
  if (level !== undefined) log.severityText = level;
  return log;
}

/**
 * The record's trace and span, as a remote span context. A record without them gets the root
 * context explicitly: the log writes in a later turn, where whatever span is active then is
 * not the record's. The record does not say whether its trace was sampled; the flags say
 * sampled, so that a logger configured to drop the logs of unsampled traces never drops an
 * audit record (the stream must be complete, and the chain would show the hole).
 */
function traceContext(record: AuditRecord): Context {
  const traceId = record.trace?.id;
  const spanId = record.span?.id;
  if (traceId === undefined || spanId === undefined) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId,
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
}

/**
 * OpenTelemetry's `feature_flag.*` attributes (Appendix D's mapping of an evaluation) and ours
 * under `flagstate.`, each present only when the record has its field.
 */
export function auditAttributes(record: AuditRecord): LogAttributes {
  const a: Record<string, string | number> = {};
  const set = (name: string, value: string | number | undefined) => {
    if (value !== undefined) a[name] = value;
  };
  const f = record.feature_flag;
  set(ATTR.key, f?.key);
  set(ATTR.providerName, f?.provider?.name);
  set(ATTR.variant, f?.result?.variant);
  set(ATTR.reason, f?.result?.reason);
  set(ATTR.contextId, f?.context?.id);
  set(ATTR.setId, f?.set?.id);
  set(ATTR.version, f?.version);
  const c = record.state_change;
  set(ATTR.machine, c?.machine ?? record.audit?.suspension?.machine);
  set(ATTR.machineVersion, c?.machine_version);
  set(ATTR.subject, c?.subject);
  set(ATTR.subjectVersion, c?.subject_version);
  set(ATTR.from, c?.from);
  set(ATTR.to, c?.to);
  set(ATTR.transition, c?.transition);
  set(ATTR.changeReason, c?.reason ?? record.audit?.suspension?.reason);
  set(ATTR.action, record.event?.action);
  set(ATTR.outcome, record.event?.outcome);
  set(ATTR.stream, record.audit?.stream);
  set(ATTR.sequence, record.event?.sequence);
  return a;
}
