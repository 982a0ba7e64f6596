import { closeSync, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface FollowFileOptions {
  /** Each complete line, in order, with its 1-based number in the file it was read from. */
  readonly onLine: (line: string, lineNumber: number) => void;
  /** A line longer than `maxLineBytes`, skipped without being held. */
  readonly onTooLong?: (lineNumber: number, bytes: number) => void;
  /** @default 67108864 (64 MiB) */
  readonly maxLineBytes?: number;
}

export interface FileFollower {
  /**
   * Reads the file as it is now, a few MiB per event-loop turn so that a signal is handled
   * while a large file is read; resolves when it reaches the end (or `stop` was called).
   */
  catchUp(): Promise<void>;
  /** Reads the lines appended to the current file since the last read. */
  drain(): void;
  /** The path followed, as given. */
  readonly path: string;
  /**
   * Looks at the path. When another file is there (a rotation), it is opened, or when the file
   * was truncated in place, and the file's mtime (ms) is returned: `advance` then reads it, so
   * that the caller can first finish every file left behind, as `pollFollowers` does.
   */
  checkPath(): number | undefined;
  /**
   * After `checkPath` returned a time, and before it is called again: reads the old file to its
   * end, then the new one from its start (or the truncated one again from its start).
   */
  advance(): void;
  /** Stops a catch-up under way and closes the files. */
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
 * Reads `path` from its start and keeps reading what is appended, as `tail -F` does, each time
 * it is polled (`pollFollowers`): polling, not fs.watch, works the same on every file system.
 * When the file is renamed away and a new one appears at the path (another inode), the old
 * file is read to its end through the descriptor still open on it, then the new one is read
 * from its start. A file that shrinks in place (copy-truncate) is read again from its start.
 * Time is linear in what is read, however long a line being written grows.
 * Throws when `path` cannot be opened at the start; after that, a missing path is waited for.
 */
export function followFile(path: string, options: FollowFileOptions): FileFollower {
  const { onLine, onTooLong, maxLineBytes = 64 * 1024 * 1024 } = options;
  const buffer = Buffer.allocUnsafe(CHUNK);
  let cursor = open(path);
  let next: Cursor | undefined;
  let truncated = false;
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

  const dropNext = () => {
    if (next !== undefined) closeSync(next.fd);
    next = undefined;
  };
  const checkPath = (): number | undefined => {
    let current: Stats;
    try {
      current = statSync(path);
    } catch {
      return undefined; // Rotated away and not yet replaced: wait for the new file.
    }
    // Another file there, or the file being read (again): a file opened there before is not.
    dropNext();
    if (current.ino !== cursor.ino || current.dev !== cursor.dev) {
      try {
        next = open(path);
      } catch {
        return undefined;
      }
      return current.mtimeMs;
    }
    truncated = current.size < cursor.offset;
    return truncated ? current.mtimeMs : undefined;
  };
  const advance = () => {
    if (truncated) {
      truncated = false;
      Object.assign(cursor, { offset: 0, line: 0, partial: [], partialBytes: 0 });
      drain(cursor);
      return;
    }
    if (next === undefined) return;
    // A writer may have appended to the old file between the last read and the rename.
    drain(cursor);
    if (cursor.partialBytes > 0) line(cursor, Buffer.alloc(0));
    closeSync(cursor.fd);
    cursor = next;
    next = undefined;
    drain(cursor);
  };

  return {
    async catchUp() {
      while (!stopped && !drain(cursor, SLICE)) await nextTurn();
    },
    drain: () => {
      drain(cursor);
    },
    path,
    checkPath,
    advance,
    stop() {
      if (stopped) return;
      stopped = true;
      closeSync(cursor.fd);
      dropNext();
    },
  };
}

function open(path: string): Cursor {
  const fd = openSync(path, 'r');
  const { dev, ino } = fstatSync(fd);
  return { fd, dev, ino, offset: 0, line: 0, partial: [], partialBytes: 0 };
}
