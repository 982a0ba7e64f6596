import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 1024 * 1024;

/**
 * A file's "\n"-terminated lines from byte `start`, read in 1 MiB chunks: memory is one line
 * plus one chunk, whatever the file's size, and time is linear in it (a long line is gathered
 * as buffers and decoded once). A last line without "\n" (torn) is not yielded.
 */
export function* readLinesSync(path: string, start = 0): Generator<string, void, undefined> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK);
    let position = start;
    let partial: Buffer[] = [];
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK, position);
      if (n === 0) return;
      position += n;
      let from = 0;
      for (let nl = chunk.indexOf(0x0a, from); nl !== -1 && nl < n; nl = chunk.indexOf(0x0a, from)) {
        if (partial.length === 0) yield chunk.toString('utf8', from, nl);
        else {
          partial.push(Buffer.from(chunk.subarray(from, nl)));
          yield Buffer.concat(partial).toString('utf8');
          partial = [];
        }
        from = nl + 1;
      }
      if (from < n) partial.push(Buffer.from(chunk.subarray(from, n)));
    }
  } finally {
    closeSync(fd);
  }
}

/** A file's first line, or `undefined` when it has no whole line. */
export function firstLineSync(path: string): string | undefined {
  for (const line of readLinesSync(path)) return line;
  return undefined;
}
