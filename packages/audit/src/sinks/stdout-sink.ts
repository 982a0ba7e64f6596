import { writeAllSync } from '../internal/write-all-sync.js';
import type { AuditSink } from './audit-sink.js';

/** NDJSON on standard output, the default sink, as pino does: for Fluent Bit, Vector, Loki. */
export function stdoutSink(): AuditSink {
  return {
    name: 'stdout',
    write: (chunk) => writeAllSync(1, chunk),
    writeSync: (chunk) => writeAllSync(1, chunk),
  };
}
