import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes every byte to a file descriptor, resuming partial writes and waiting out EAGAIN
 * (stdout may be a non-blocking pipe), as sonic-boom does.
 */
export function writeAllSync(fd: number, chunk: string | Buffer): void {
  const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  let offset = 0;
  let waits = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(fd, buffer, offset, buffer.length - offset);
      waits = 0;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || ++waits > 10_000) throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
