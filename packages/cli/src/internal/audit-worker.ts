// A worker thread of `verify` and `replay`: it does one task (fixed by workerData) to every
// chunk of lines it is sent, and answers with the chunk's result.
import { parentPort, workerData } from 'node:worker_threads';
import { chunkTask, type TaskSpec } from './chunk-task.js';
import type { FileChunk } from './file-chunks.js';

const run = chunkTask(workerData as TaskSpec);
parentPort!.on('message', ({ id, chunk }: { id: number; chunk: FileChunk }) => {
  try {
    parentPort!.postMessage({ id, result: run(chunk) });
  } catch (error) {
    parentPort!.postMessage({
      id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
