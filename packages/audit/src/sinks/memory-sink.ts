import type { AuditRecord } from '../records/audit-record.js';
import type { AuditSink } from './audit-sink.js';

export interface MemorySink extends AuditSink {
  /** Every record written, parsed back from its line, in order. */
  readonly records: AuditRecord[];
  /** Every line written, as written. */
  readonly lines: string[];
  clear(): void;
}

/** Keeps what is written in memory: for users' own tests. */
export function memorySink(): MemorySink {
  const records: AuditRecord[] = [];
  const lines: string[] = [];
  const write = (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (line === '') continue;
      lines.push(line);
      records.push(JSON.parse(line) as AuditRecord);
    }
  };
  return {
    name: 'memory',
    records,
    lines,
    write,
    writeSync: write,
    clear: () => {
      records.length = 0;
      lines.length = 0;
    },
  };
}
