import { closeSync, openSync, readSync } from 'node:fs';

/** How a file is read: the size of each read, and the longest line kept. */
export interface FileLinesOptions {
  readonly chunkBytes: number;
  readonly maxLineBytes: number;
}

/** A line of a file with its 1-based number; `tooLong` (bytes) when it was skipped unread. */
export type FileLine = { text: string; line: number } | { tooLong: number; line: number };

const NEWLINE = 0x0a;

/** Decoded strings stay below V8's large-object size, so that they die young, in scavenges. */
const BLOCK = 64 * 1024;

/**
 * `bytes[from, to)`, whole lines ending in a newline, decoded in blocks of whole lines of about
 * BLOCK bytes: decoding a chunk in one go would put a 1 MiB string in the large-object space,
 * which only a full collection frees, and memory would grow by a chunk per chunk until one.
 */
export function* blocks(bytes: Buffer, from: number, to: number): Generator<string> {
  for (let start = from; start < to; ) {
    let end = Math.min(start + BLOCK, to);
    if (end < to) end = bytes.lastIndexOf(NEWLINE, end - 1) + 1;
    if (end <= start) end = bytes.indexOf(NEWLINE, start) + 1;
    yield bytes.toString('utf8', start, end);
    start = end;
  }
}

/**
 * The lines of a file, read in chunks: memory is one chunk plus the longest line, whatever
 * the file's size, and time is linear (a line spanning chunks is gathered as buffers and
 * decoded once). Whole lines are decoded in blocks and sliced, which is cheaper than decoding
 * line by line. A line longer than `maxLineBytes` is skipped without being held.
 * A last line without a newline is yielded too.
 */
export function* fileLines(path: string, options: FileLinesOptions): Generator<FileLine, void, undefined> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(options.chunkBytes);
    let position = 0;
    let line = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let skipping = false;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) break;
      position += n;
      let from = 0;
      const nl = chunk.indexOf(NEWLINE);
      if (nl === -1 || nl >= n) {
        pendingBytes += n;
        if (pendingBytes > options.maxLineBytes) skipping = true;
        if (skipping) pending = [];
        else pending.push(Buffer.from(chunk.subarray(0, n)));
        continue;
      }
      if (pendingBytes > 0 || skipping) {
        line++;
        const bytes = pendingBytes + nl;
        if (skipping || bytes > options.maxLineBytes) yield { tooLong: bytes, line };
        else yield { text: Buffer.concat([...pending, chunk.subarray(0, nl)]).toString('utf8'), line };
        pending = [];
        pendingBytes = 0;
        skipping = false;
        from = nl + 1;
      }
      const end = chunk.lastIndexOf(NEWLINE, n - 1);
      if (end >= from) {
        for (const block of blocks(chunk, from, end + 1)) {
          for (let start = 0; start < block.length; ) {
            const stop = block.indexOf('\n', start);
            yield { text: block.slice(start, stop), line: ++line };
            start = stop + 1;
          }
        }
        from = end + 1;
      }
      if (from < n) {
        pendingBytes = n - from;
        skipping = pendingBytes > options.maxLineBytes;
        pending = skipping ? [] : [Buffer.from(chunk.subarray(from, n))];
      }
    }
    if (pendingBytes > 0) {
      line++;
      if (skipping) yield { tooLong: pendingBytes, line };
      else yield { text: Buffer.concat(pending).toString('utf8'), line };
    }
  } finally {
    closeSync(fd);
  }
}
