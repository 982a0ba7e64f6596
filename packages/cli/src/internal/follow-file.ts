import { closeSync, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface FollowFileOptions {
  /** Each complete line, in order, with its 1-based number in the file it was read from. */
  readonly onLine: (line: string, lineNumber: number) => void;
  /** A line longer than `maxLineBytes`, skipped without being held. */
  readonly onTooLong?: (lineNumber: number, bytes: number) => void;
  /** How often the file is checked for new lines and rotation, in ms. @default 200 */
  readonly intervalMs?: number;
  /** @default 67108864 (64 MiB) */
  readonly maxLineBytes?: number;
}

export interface FileFollower {
  /**
   * Reads the file as it is now, a few MiB per event-loop turn so that a signal is handled
   * while a large file is read; resolves when it reaches the end (or `stop` was called).
   */
  catchUp(): Promise<void>;
  /** Starts polling for appended lines and rotation. */
  start(): void;
  /** Reads what is there now: new lines of the current file, and a rotation if one happened. */
  poll(): void;
  /** Reads what is left (unless stopped while catching up), stops polling and closes the file. */
  stop(): void;
}

interface Cursor {
  readonly fd: number;
  readonly dev: number;
  readonly ino: number;
  offset: number;
  line: number;
  /** Bytes after the last newline, a line still being written: kept as pieces, joined once. */
  partial: Buffer[];
  partialBytes: number;
}

const CHUNK = 64 * 1024;
const SLICE = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * Reads `path` from its start and keeps reading what is appended, as `tail -F` does. Polling
 * (not fs.watch) works the same on every file system. When the file is renamed away and a new
 * one appears at the path (another inode), the old file is read to its end through the
 * descriptor still open on it, then the new one is read from its start. A file that shrinks in
 * place (copy-truncate) is read again from its start. Time is linear in what is read, however
 * long a line being written grows.
 * Throws when `path` cannot be opened at the start; after that, a missing path is waited for.
 */
export function followFile(path: string, options: FollowFileOptions): FileFollower {
  const { onLine, onTooLong, intervalMs = 200, maxLineBytes = 64 * 1024 * 1024 } = options;
  const buffer = Buffer.allocUnsafe(CHUNK);
  let cursor = open(path);
  let timer: NodeJS.Timeout | undefined;
  let caughtUp = false;
  let stopped = false;

  /** Reads up to `budget` bytes; true when the end was reached. */
  const drain = (c: Cursor, budget = Number.POSITIVE_INFINITY): boolean => {
    for (let read = 0; read < budget; ) {
      const n = readSync(c.fd, buffer, 0, CHUNK, c.offset);
      if (n === 0) return true;
      c.offset += n;
      read += n;
      let start = 0;
      for (let end = buffer.indexOf(NEWLINE); end !== -1 && end < n; end = buffer.indexOf(NEWLINE, start)) {
        line(c, buffer.subarray(start, end));
        start = end + 1;
      }
      if (start < n) keep(c, buffer.subarray(start, n));
    }
    return false;
  };
  const line = (c: Cursor, tail: Buffer) => {
    c.line++;
    const bytes = c.partialBytes + tail.length;
    if (bytes > maxLineBytes) onTooLong?.(c.line, bytes);
    else
      onLine((c.partial.length === 0 ? tail : Buffer.concat([...c.partial, tail])).toString('utf8'), c.line);
    c.partial = [];
    c.partialBytes = 0;
  };
  // Copied, because `buffer` is reused by the next read; dropped once the line is too long.
  const keep = (c: Cursor, piece: Buffer) => {
    c.partialBytes += piece.length;
    if (c.partialBytes > maxLineBytes) c.partial = [];
    else c.partial.push(Buffer.from(piece));
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
      if (cursor.partialBytes > 0) line(cursor, Buffer.alloc(0));
      closeSync(cursor.fd);
      cursor = next;
      drain(cursor);
    } else if (current.size < cursor.offset) {
      Object.assign(cursor, { offset: 0, line: 0, partial: [], partialBytes: 0 });
      drain(cursor);
    }
  };

  return {
    async catchUp() {
      while (!stopped && !drain(cursor, SLICE)) await nextTurn();
      caughtUp = true;
    },
    start() {
      if (!stopped) timer ??= setInterval(poll, intervalMs);
    },
    poll,
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (caughtUp) poll();
      closeSync(cursor.fd);
    },
  };
}

function open(path: string): Cursor {
  const fd = openSync(path, 'r');
  const { dev, ino } = fstatSync(fd);
  return { fd, dev, ino, offset: 0, line: 0, partial: [], partialBytes: 0 };
}
