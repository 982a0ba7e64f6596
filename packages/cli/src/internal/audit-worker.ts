// A worker thread of `verify`, `replay` and `tail`: it does one task (fixed by workerData) to
// every chunk of lines it is sent, and answers with the chunk's result, handing the chunk's
// buffer back to be read into again.
import { parentPort, workerData } from 'node:worker_threads';
import { chunkTask, type TaskSpec } from './chunk-task.js';
import type { FileChunk } from './file-chunks.js';

const run = chunkTask(workerData as TaskSpec);
parentPort!.on('message', ({ id, chunk }: { id: number; chunk: FileChunk }) => {
  try {
    const result = run(chunk);
    const { bytes } = chunk;
    if (bytes.byteLength === 0) parentPort!.postMessage({ id, result });
    else parentPort!.postMessage({ id, result, bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({
      id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
