import { closeSync, openSync, readSync } from 'node:fs';
import type { BufferPool } from './buffer-pool.js';

/** Whole lines of a file, as bytes, with where they start. */
export interface FileChunk {
  readonly file: string;
  /** Index of the file among those read: with `firstLine`, it places each line in the input. */
  readonly fileIndex: number;
  /** 1-based number of the chunk's first line. */
  readonly firstLine: number;
  /** Whole lines ("\n"-terminated, except a file's last), transferable to a worker. */
  readonly bytes: Uint8Array;
  /** Set on a chunk that stands for one line skipped unread, this long in bytes. */
  readonly tooLong?: number;
}

const NEWLINE = 0x0a;
const EMPTY = new Uint8Array(0);

/**
 * Cuts files into chunks of whole lines, about `chunkBytes` each: a chunk ends at its last
 * newline and the rest starts the next one, so memory is a chunk plus the longest line, and a
 * line longer than a chunk is gathered once (linear), not re-copied with every read. A line
 * longer than `maxLineBytes` is skipped without being held.
 */
export function* fileChunks(
  files: readonly string[],
  chunkBytes: number,
  maxLineBytes: number,
  /** Where buffers of at least twice `chunkBytes` come from, when chunks are handed back once read. */
  pool?: BufferPool,
): Generator<FileChunk> {
  for (const [fileIndex, file] of files.entries()) {
    const fd = openSync(file, 'r');
    try {
      let position = 0;
      let line = 1;
      // The start of a line that the last read cut. Up to a chunk long, it is copied ahead of
      // the next read (copying every chunk to put it in front cost a tenth of verify's time);
      // longer, its pieces are kept until the line ends, so that it is gathered once.
      let carried: Buffer[] = [];
      let carriedBytes = 0;
      for (;;) {
        const ahead = carried.length === 1 && carriedBytes <= chunkBytes ? carried[0]! : undefined;
        const offset = ahead === undefined ? 0 : ahead.length;
        // A buffer of its own per chunk, which goes to a worker: it is not read into again
        // before it comes back.
        const buffer = pool === undefined ? Buffer.allocUnsafeSlow(offset + chunkBytes) : pool.take();
        if (ahead !== undefined) {
          buffer.set(ahead);
          carried = [];
          carriedBytes = 0;
        }
        const read = readSync(fd, buffer, offset, chunkBytes, position);
        position += read;
        const n = offset + read;
        if (read === 0) {
          // The end of the file, and of its last line if no newline ended it.
          if (carriedBytes + n > maxLineBytes) {
            yield { file, fileIndex, firstLine: line, bytes: EMPTY, tooLong: carriedBytes + n };
          } else if (carriedBytes + n > 0) {
            const tail = buffer.subarray(0, n);
            yield {
              file,
              fileIndex,
              firstLine: line,
              bytes: carriedBytes === 0 ? tail : gather([...carried, tail]),
            };
          }
          break;
        }
        // The bytes ahead hold no newline; past `n`, the buffer holds nothing read.
        const firstNewline = buffer.indexOf(NEWLINE, offset);
        if (firstNewline === -1 || firstNewline >= n) {
          carriedBytes += n;
          if (carriedBytes > maxLineBytes) carried = [];
          else carried.push(buffer.subarray(0, n));
          continue;
        }
        let from = 0;
        if (carriedBytes + firstNewline > maxLineBytes) {
          yield { file, fileIndex, firstLine: line++, bytes: EMPTY, tooLong: carriedBytes + firstNewline };
          carried = [];
          carriedBytes = 0;
          from = firstNewline + 1;
        }
        const whole = buffer.lastIndexOf(NEWLINE, n - 1) + 1;
        // Taken before the chunk is yielded: its buffer is then transferred, and unreadable here.
        const rest = whole < n ? Buffer.from(buffer.subarray(whole, n)) : undefined;
        if (carriedBytes + whole - from > 0) {
          const head = buffer.subarray(from, whole);
          const bytes = carriedBytes === 0 ? head : gather([...carried, head]);
          // Counted before the yield: a worker thread's caller transfers the buffer, which
          // leaves `bytes` empty here, and every later line would be numbered wrong.
          const lines = countLines(bytes);
          yield { file, fileIndex, firstLine: line, bytes };
          line += lines;
        }
        carried = rest === undefined ? [] : [rest];
        carriedBytes = n - whole;
      }
    } finally {
      closeSync(fd);
    }
  }
}

/** Pieces copied into one unpooled buffer (a pooled one must not be transferred). */
function gather(pieces: readonly Uint8Array[]): Buffer {
  const out = Buffer.allocUnsafeSlow(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function countLines(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}
