import type { AuditRecord } from '@flagstate/core';
import type { Io } from '../io.js';
import { formatLine } from './format-line.js';
import { createLineBuffer } from './line-buffer.js';
import { parsePrintable } from './printable.js';
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
  /** Writes the lines gathered so far (they are written in blocks). */
  flush(): void;
}

export function createRecordPrinter(options: RecordPrinterOptions, io: Io): RecordPrinter {
  const matches = createRecordFilter(options);
  const printed = createPrintedRecords();
  const style = io.style.bind(io);
  const out = createLineBuffer(io);
  return {
    print(raw, file, lineNumber) {
      const text = raw.trim();
      if (text === '') return;
      let record: unknown;
      try {
        // What is printed as a readable line comes from the record: made printable first.
        record = options.json ? JSON.parse(text) : parsePrintable(text);
      } catch {
        io.err(`${file}:${lineNumber}: not JSON, skipped`);
        return;
      }
      if (typeof record !== 'object' || record === null) return;
      // Marked printed even when filtered out: what matters is whether it was read before.
      if (!printed.first(record as AuditRecord) || !matches(record as AuditRecord)) return;
      out.line(options.json ? text : formatLine(record as AuditRecord, style));
    },
    settle: () => printed.settle(),
    flush: () => out.flush(),
  };
}
