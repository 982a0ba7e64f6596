import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync } from 'node:fs';

const CHUNK = 64 * 1024;

/** The end of a file as a log left it: its last whole line, and a torn fragment after it. */
export interface FileEnd {
  /** The last line that ends with "\n", without it; `undefined` when there is none. */
  readonly lastLine: string | undefined;
  /** Bytes after the last "\n": a line whose write a crash cut short. */
  readonly tornBytes: number;
  /** Size of the file once the fragment is cut away. */
  readonly size: number;
}

/**
 * Reads a file's last whole line backwards, in chunks, so that a file of any size costs one
 * line's memory; with `repair`, cuts away (and fsyncs the cut of) a torn last line, so that
 * the next record never lands glued to a fragment.
 */
export function readFileEnd(path: string, repair: boolean): FileEnd {
  const fd = openSync(path, repair ? 'r+' : 'r');
  try {
    const total = fstatSync(fd).size;
    const chunks: Buffer[] = [];
    let end = total; // the file up to here is still unread
    const newlines: number[] = []; // positions of "\n" found so far, last first
    while (end > 0 && newlines.length < 2) {
      const start = Math.max(0, end - CHUNK);
      const buf = Buffer.allocUnsafe(end - start);
      readSync(fd, buf, 0, buf.length, start);
      chunks.unshift(buf);
      for (let i = buf.length - 1; i >= 0 && newlines.length < 2; i--)
        if (buf[i] === 0x0a) newlines.push(start + i);
      end = start;
    }
    const lastNewline = newlines[0];
    const size = lastNewline === undefined ? 0 : lastNewline + 1;
    const tornBytes = total - size;
    if (repair && tornBytes > 0) {
      ftruncateSync(fd, size);
      fsyncSync(fd);
    }
    if (lastNewline === undefined) return { lastLine: undefined, tornBytes, size };
    const from = newlines[1] === undefined ? 0 : newlines[1] + 1;
    const text = Buffer.concat(chunks)
      .subarray(from - end, lastNewline - end)
      .toString('utf8');
    return { lastLine: text, tornBytes, size };
  } finally {
    closeSync(fd);
  }
}
