import type { Io } from '../io.js';
import { createLineBuffer } from './line-buffer.js';
import { printable } from './printable.js';
import { createPrintedRecords } from './printed-records.js';
import type { TailChunk } from './tail-chunk.js';
import { type TailLine, type TailLineOptions, tailLineReader } from './tail-line.js';

export interface RecordPrinter {
  /**
   * Prints the line if it is a matching record not printed before; warns, naming file and line,
   * if it is not JSON or not an audit record.
   */
  print(raw: string, file: string, lineNumber: number): void;
  /** The same for a chunk of lines read elsewhere (a worker thread), in the order of the chunks. */
  printChunk(chunk: TailChunk, file: string): void;
  /** See `PrintedRecords.settle`: call once the files as they were have been read. */
  settle(): void;
  /** Writes the lines gathered so far (they are written in blocks). */
  flush(): void;
  /** The `--machine` values no record read so far is of, and the machines that were seen (100 at most). */
  unmatchedMachines(): { readonly unmatched: readonly string[]; readonly seen: readonly string[] };
}

/** Distinct machine names kept to list in a message: a hostile file could hold millions. */
const MAX_SEEN_MACHINES = 100;

/** Whether `io` styles its output (writes to a terminal), told by trying it. */
export const colours = (io: Io) => io.style('bold', 'x') !== 'x';

/**
 * Prints records in the order read, each once. Reading a line (parsing, checking its shape,
 * formatting it) is `tailLineReader`'s, which worker threads can do; what needs every line in
 * order (printing a record once, the machines seen) is done here.
 */
export function createRecordPrinter(options: TailLineOptions, io: Io): RecordPrinter {
  const read = tailLineReader({ ...options, color: colours(io) });
  const printed = createPrintedRecords();
  const out = createLineBuffer(io);
  const asked = new Set(options.machine ?? []);
  const matched = new Set<string>();
  const seen = new Set<string>();
  const skip = (file: string, lineNumber: number, why: string) =>
    io.err(printable(`${file}:${lineNumber}: ${why}, skipped`));
  /** Marks the record printed and notes its machine; whether it is to be printed now. */
  const take = (
    stream: string | undefined,
    sequence: number | undefined,
    id: string | undefined,
    machine: string | undefined,
  ): boolean => {
    if (machine !== undefined) {
      if (asked.has(machine)) matched.add(machine);
      if (seen.size < MAX_SEEN_MACHINES) seen.add(machine);
    }
    // Marked printed even when filtered out: what matters is whether it was read before.
    return printed.first(stream, sequence, id);
  };
  return {
    print(raw, file, lineNumber) {
      const text = raw.trim();
      if (text === '') return;
      const line: TailLine = read(text);
      if ('skip' in line) {
        skip(file, lineNumber, line.skip);
        return;
      }
      if (take(line.stream, line.sequence, line.id, line.machine) && line.out !== undefined)
        out.line(line.out);
    },
    printChunk(chunk, file) {
      for (const s of chunk.skipped) skip(file, s.line, s.error);
      const { names, records, text } = chunk;
      const name = (ref: number) => (ref < 0 ? undefined : names[ref]);
      let dropped: Set<number> | undefined;
      for (let o = 0; o < records.length; o += RECORD_FIELDS) {
        const sequence = records[o + 1]!;
        const first = take(
          name(records[o]!),
          Number.isNaN(sequence) ? undefined : sequence,
          name(records[o + 2]!),
          name(records[o + 3]!),
        );
        const printedAs = records[o + 4]!;
        if (first || printedAs < 0) continue;
        dropped ??= new Set();
        dropped.add(printedAs);
      }
      // Most often every line the chunk prints is new, and its text goes out as it came.
      if (dropped === undefined) {
        for (const piece of text) out.text(piece);
        return;
      }
      let index = 0;
      for (const piece of text) {
        for (let start = 0; start < piece.length; index++) {
          const end = piece.indexOf('\n', start);
          if (!dropped.has(index)) out.line(piece.slice(start, end));
          start = end + 1;
        }
      }
    },
    settle: () => printed.settle(),
    flush: () => out.flush(),
    unmatchedMachines: () => ({
      unmatched: [...asked].filter((m) => !matched.has(m)),
      seen: [...seen].sort(),
    }),
  };
}

/** Numbers per record in `TailChunk.records`. */
export const RECORD_FIELDS = 5;
