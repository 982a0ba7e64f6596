import { closeSync, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';

export interface FollowFileOptions {
  /** Each complete line, in order, with its 1-based number in the file it was read from. */
  readonly onLine: (line: string, lineNumber: number) => void;
  /** How often the file is checked for new lines and rotation, in ms. @default 200 */
  readonly intervalMs?: number;
}

export interface FileFollower {
  /** Reads what is there now: new lines of the current file, and a rotation if one happened. */
  poll(): void;
  /** Reads what is left, then stops polling and closes the file. */
  stop(): void;
}

interface Cursor {
  readonly fd: number;
  readonly dev: number;
  readonly ino: number;
  offset: number;
  line: number;
  /** Bytes after the last newline: a line still being written. */
  partial: Buffer;
}

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Reads `path` from its start and keeps reading what is appended, as `tail -F` does. Polling
 * (not fs.watch) works the same on every file system. When the file is renamed away and a new
 * one appears at the path (another inode), the old file is read to its end through the
 * descriptor still open on it, then the new one is read from its start. A file that shrinks in
 * place (copy-truncate) is read again from its start.
 * Throws when `path` cannot be opened at the start; after that, a missing path is waited for.
 */
export function followFile(path: string, options: FollowFileOptions): FileFollower {
  const { onLine, intervalMs = 200 } = options;
  let cursor = open(path);

  const drain = (c: Cursor) => {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(c.fd, buffer, 0, CHUNK, c.offset);
      if (n === 0) return;
      c.offset += n;
      const data =
        c.partial.length > 0 ? Buffer.concat([c.partial, buffer.subarray(0, n)]) : buffer.subarray(0, n);
      let start = 0;
      for (let end = data.indexOf(NEWLINE); end !== -1; end = data.indexOf(NEWLINE, start)) {
        onLine(data.toString('utf8', start, end), ++c.line);
        start = end + 1;
      }
      // Copied, because `buffer` is reused by the next read.
      c.partial = Buffer.from(data.subarray(start));
    }
  };

  const poll = () => {
    drain(cursor);
    let current: Stats;
    try {
      current = statSync(path);
    } catch {
      return; // Rotated away and not yet replaced: the old file is drained; wait for the new one.
    }
    if (current.ino !== cursor.ino || current.dev !== cursor.dev) {
      let next: Cursor;
      try {
        next = open(path);
      } catch {
        return;
      }
      // A writer may have appended to the old file between the drain above and the rename.
      drain(cursor);
      if (cursor.partial.length > 0) onLine(cursor.partial.toString('utf8'), ++cursor.line);
      closeSync(cursor.fd);
      cursor = next;
      drain(cursor);
    } else if (current.size < cursor.offset) {
      cursor.offset = 0;
      cursor.line = 0;
      cursor.partial = Buffer.alloc(0);
      drain(cursor);
    }
  };

  poll();
  const timer = setInterval(poll, intervalMs);
  let stopped = false;
  return {
    poll,
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      poll();
      closeSync(cursor.fd);
    },
  };
}

function open(path: string): Cursor {
  const fd = openSync(path, 'r');
  const { dev, ino } = fstatSync(fd);
  return { fd, dev, ino, offset: 0, line: 0, partial: Buffer.alloc(0) };
}
