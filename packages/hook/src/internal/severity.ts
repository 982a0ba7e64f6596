import type { SeverityNumber } from '@opentelemetry/api-logs';

// OpenTelemetry's SeverityNumber values, spelled out: the enum lives in the optional peer.
const BY_LEVEL: Readonly<Record<string, number>> = {
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  warning: 13,
  error: 17,
  fatal: 21,
};

/**
 * The OpenTelemetry severity of an ECS `log.level` (records carry `info` or `warn`): INFO 9,
 * WARN 13, and TRACE, DEBUG, ERROR, FATAL for the other usual names; UNSPECIFIED (0) otherwise.
 */
export function severityOf(level: string | undefined): SeverityNumber {
  return (level === undefined ? 0 : (BY_LEVEL[level.toLowerCase()] ?? 0)) as SeverityNumber;
}
