import type { AuditRecord } from '@flagstate/core';
import type { Io } from '../io.js';
import { formatLine } from './format-line.js';
import { createPrintedRecords } from './printed-records.js';
import { createRecordFilter, type RecordFilterOptions } from './record-filter.js';

export interface RecordPrinterOptions extends RecordFilterOptions {
  /** Print records as they are (NDJSON) rather than as readable lines. */
  readonly json?: boolean | undefined;
}

export interface RecordPrinter {
  /** Prints the line if it is a matching record not printed before; warns if it is not JSON. */
  print(raw: string, file: string, lineNumber: number): void;
  /** See `PrintedRecords.settle`: call once the files as they were have been read. */
  settle(): void;
}

export function createRecordPrinter(options: RecordPrinterOptions, io: Io): RecordPrinter {
  const matches = createRecordFilter(options);
  const printed = createPrintedRecords();
  const style = io.style.bind(io);
  return {
    print(raw, file, lineNumber) {
      const text = raw.trim();
      if (text === '') return;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        io.err(`${file}:${lineNumber}: not JSON, skipped`);
        return;
      }
      if (typeof record !== 'object' || record === null) return;
      // Marked printed even when filtered out: what matters is whether it was read before.
      if (!printed.first(record as AuditRecord) || !matches(record as AuditRecord)) return;
      io.out(options.json ? text : formatLine(record as AuditRecord, style));
    },
    settle: () => printed.settle(),
  };
}
