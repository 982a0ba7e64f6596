import { NameTable } from '@flagstate/audit/internal';
import type { TailLineOptions } from './tail-line.js';
import { tailLineReader } from './tail-line.js';

/** What tail reads of one chunk of lines: a few arrays, cheap to send from a worker thread. */
export interface TailChunk {
  /** Lines skipped, with why, in order. */
  readonly skipped: readonly { readonly line: number; readonly error: string }[];
  /** Streams, ids and machines, each once; `records` refers to them by index (-1: none). */
  readonly names: readonly string[];
  /**
   * Per record, in order: stream, sequence (NaN: none), id and machine, and the index of its
   * line in `text` (-1: filtered out).
   */
  readonly records: Float64Array;
  /**
   * The lines to print, each ended by a newline (none holds one: they are escaped, or JSON),
   * in pieces of whole lines below PIECE characters: a string of a megabyte would go to V8's
   * large-object space, which only a full collection frees, and memory would grow by a chunk
   * per chunk until one.
   */
  readonly text: readonly string[];
}

const PIECE = 32 * 1024;

/** Reads the lines of a chunk for tail: `each` gives every non-blank line with its number. */
export function tailChunkReader(
  options: TailLineOptions,
): (each: (fn: (text: string, line: number, ascii: boolean, plain: boolean) => void) => void) => TailChunk {
  const read = tailLineReader(options);
  return (each) => {
    const skipped: { line: number; error: string }[] = [];
    const table = new NameTable();
    const records: number[] = [];
    const pieces: string[] = [];
    let piece: string[] = [];
    let pieceLength = 0;
    let printed = 0;
    each((text, line, ascii, plain) => {
      const r = read(text, ascii, plain);
      if ('skip' in r) {
        skipped.push({ line, error: r.skip });
        return;
      }
      records.push(
        table.ref(r.stream),
        r.sequence ?? Number.NaN,
        table.ref(r.id),
        table.ref(r.machine),
        r.out === undefined ? -1 : printed,
      );
      if (r.out === undefined) return;
      printed++;
      if (pieceLength + r.out.length > PIECE && piece.length > 0) {
        pieces.push(`${piece.join('\n')}\n`);
        piece = [];
        pieceLength = 0;
      }
      piece.push(r.out);
      pieceLength += r.out.length + 1;
    });
    if (piece.length > 0) pieces.push(`${piece.join('\n')}\n`);
    return { skipped, names: table.names, records: Float64Array.from(records), text: pieces };
  };
}
