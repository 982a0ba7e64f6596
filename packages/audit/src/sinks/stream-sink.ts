import type { Writable } from 'node:stream';
import type { AuditSink } from './audit-sink.js';

/**
 * NDJSON to any writable stream. The log waits for each batch's callback; when its queue is
 * full it hands lines to the stream's own buffer without waiting, so none is dropped.
 */
export function streamSink(stream: Writable, name = 'stream'): AuditSink {
  // Failures reach the log through write callbacks; without a listener the stream's own
  // 'error' event would crash the process.
  stream.on('error', () => undefined);
  const check = () => {
    if (stream.destroyed || stream.writableEnded) throw new Error(`${name}: the stream is closed`);
  };
  return {
    name,
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        check();
        stream.write(chunk, (error) => (error ? reject(error) : resolve()));
      }),
    writeSync: (chunk) => {
      check();
      stream.write(chunk);
    },
  };
}
