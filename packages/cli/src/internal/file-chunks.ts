import { closeSync, openSync, readSync } from 'node:fs';

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
): Generator<FileChunk> {
  for (const [fileIndex, file] of files.entries()) {
    const fd = openSync(file, 'r');
    try {
      let position = 0;
      let line = 1;
      let carried: Buffer[] = [];
      let carriedBytes = 0;
      for (;;) {
        // A fresh buffer per chunk: it is handed over to a worker, not reused.
        const buffer = Buffer.allocUnsafeSlow(chunkBytes);
        const n = readSync(fd, buffer, 0, chunkBytes, position);
        position += n;
        const firstNewline = n === 0 ? -1 : buffer.indexOf(NEWLINE);
        if (n > 0 && (firstNewline === -1 || firstNewline >= n)) {
          carriedBytes += n;
          if (carriedBytes > maxLineBytes) carried = [];
          else carried.push(buffer.subarray(0, n));
          continue;
        }
        let from = 0;
        if (carriedBytes > maxLineBytes || carriedBytes + firstNewline + 1 > maxLineBytes) {
          yield {
            file,
            fileIndex,
            firstLine: line++,
            bytes: EMPTY,
            tooLong: carriedBytes + Math.max(firstNewline, 0),
          };
          carried = [];
          carriedBytes = 0;
          from = firstNewline + 1;
          if (n === 0) break;
        }
        const end = n === 0 ? -1 : buffer.lastIndexOf(NEWLINE, n - 1);
        const whole = end + 1;
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
        if (n === 0) break;
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
