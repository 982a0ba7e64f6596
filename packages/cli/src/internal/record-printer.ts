import type { AuditRecord } from '@flagstate/core';
import type { Io } from '../io.js';
import { formatLine } from './format-line.js';
import { createLineBuffer } from './line-buffer.js';
import { parsePrintable, printable } from './printable.js';
import { createPrintedRecords } from './printed-records.js';
import { createRecordFilter, machineOf, type RecordFilterOptions } from './record-filter.js';
import { recordProblem } from './record-shape.js';

export interface RecordPrinterOptions extends RecordFilterOptions {
  /** Print records as they are (NDJSON) rather than as readable lines. */
  readonly json?: boolean | undefined;
}

export interface RecordPrinter {
  /**
   * Prints the line if it is a matching record not printed before; warns, naming file and line,
   * if it is not JSON or not an audit record.
   */
  print(raw: string, file: string, lineNumber: number): void;
  /** See `PrintedRecords.settle`: call once the files as they were have been read. */
  settle(): void;
  /** Writes the lines gathered so far (they are written in blocks). */
  flush(): void;
  /** The `--machine` values no record read so far is of, and the machines that were seen (100 at most). */
  unmatchedMachines(): { readonly unmatched: readonly string[]; readonly seen: readonly string[] };
}

/** Distinct machine names kept to list in a message: a hostile file could hold millions. */
const MAX_SEEN_MACHINES = 100;

export function createRecordPrinter(options: RecordPrinterOptions, io: Io): RecordPrinter {
  const matches = createRecordFilter(options);
  const printed = createPrintedRecords();
  const style = io.style.bind(io);
  const out = createLineBuffer(io);
  const asked = new Set(options.machine ?? []);
  const matched = new Set<string>();
  const seen = new Set<string>();
  const skip = (file: string, lineNumber: number, why: string) =>
    io.err(printable(`${file}:${lineNumber}: ${why}, skipped`));
  return {
    print(raw, file, lineNumber) {
      const text = raw.trim();
      if (text === '') return;
      let record: unknown;
      try {
        // What is printed as a readable line comes from the record: made printable first.
        record = options.json ? JSON.parse(text) : parsePrintable(text);
      } catch (error) {
        // A RangeError is the reader's own stack giving out, on JSON nested too deeply.
        skip(file, lineNumber, error instanceof SyntaxError ? 'not JSON' : 'nested too deeply to read');
        return;
      }
      const problem = recordProblem(record);
      if (problem !== undefined) {
        skip(file, lineNumber, `not an audit record (${problem})`);
        return;
      }
      const r = record as AuditRecord;
      const machine = machineOf(r);
      if (machine !== undefined) {
        if (asked.has(machine)) matched.add(machine);
        if (seen.size < MAX_SEEN_MACHINES) seen.add(machine);
      }
      // Marked printed even when filtered out: what matters is whether it was read before.
      if (!printed.first(r) || !matches(r)) return;
      out.line(options.json ? text : formatLine(r, style));
    },
    settle: () => printed.settle(),
    flush: () => out.flush(),
    unmatchedMachines: () => ({
      unmatched: [...asked].filter((m) => !matched.has(m)),
      seen: [...seen].sort(),
    }),
  };
}
