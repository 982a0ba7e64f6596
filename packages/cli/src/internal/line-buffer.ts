import type { Io } from '../io.js';

/** Output lines gathered and written in blocks of about this many characters. */
const BLOCK = 64 * 1024;

export interface LineBuffer {
  line(text: string): void;
  /** Writes what is gathered. It is also written once a block is full, and on the next turn. */
  flush(): void;
}

/**
 * Lines written to stdout in blocks rather than one write (one system call on a pipe) each:
 * what lets `tail` print a large file at the speed it reads it.
 */
export function createLineBuffer(io: Io): LineBuffer {
  let pending: string[] = [];
  let size = 0;
  let scheduled = false;
  const flush = () => {
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    size = 0;
    io.writeOut(text);
  };
  return {
    line(text) {
      pending.push(text);
      size += text.length + 1;
      if (size >= BLOCK) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          flush();
        });
      }
    },
    flush,
  };
}
