import type { Io } from '../io.js';

/** Output lines gathered and written in blocks of about this many characters. */
const BLOCK = 64 * 1024;

export interface LineBuffer {
  line(text: string): void;
  /** Lines already joined, each ended by a newline: written after what is gathered. */
  text(lines: string): void;
  /** Writes what is gathered. It is also written once a block is full, and on the next turn. */
  flush(): void;
}

/**
 * Lines written to stdout in blocks rather than one write (one system call on a pipe) each:
 * what lets `tail` print a large file at the speed it reads it.
 */
export function createLineBuffer(io: Io): LineBuffer {
  let size = 0;
  let scheduled = false;
  /** Each ended by its newline. */
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    size = 0;
    io.writeOut(text);
  };
  const add = (lines: string) => {
    pending.push(lines);
    size += lines.length;
    if (size >= BLOCK) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        flush();
      });
    }
  };
  return {
    line: (text) => add(`${text}\n`),
    text: (lines) => {
      if (lines !== '') add(lines);
    },
    flush,
  };
}
