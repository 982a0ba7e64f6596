import { Worker } from 'node:worker_threads';
import { BufferPool } from './buffer-pool.js';
import { type ChunkResult, chunkTask, type TaskSpec } from './chunk-task.js';
import { type FileChunk, fileChunks } from './file-chunks.js';
import { fullCollection } from './full-collection.js';
import { CHUNK_BYTES, MAX_LINE_BYTES } from './read-options.js';

/** Chunks given to each worker at once: one to work on, one waiting, so that none idles. */
const IN_FLIGHT = 2;
/**
 * Chunks between full collections of the main thread's heap (a few ms each, as little lives),
 * when results are handed on in order. Results the main thread makes itself may then wait for
 * an earlier one, long enough to be moved to the old generation: tail's, a megabyte of text a
 * chunk, grew the heap by a hundred MiB between two collections 256 chunks apart. Results
 * handed on as they come die young; replay's (the only such) went 9% faster without them.
 */
const COLLECT_EVERY = 64;

/**
 * Runs `spec` on every chunk of `files` (see `fileChunks`) and hands the results to `onResult`, in the order of the chunks
 * when `ordered`, else as they come (results kept waiting for an earlier one live long enough
 * for V8 to move them to the old generation, which only a full collection frees). With
 * `threads` > 0, the chunks are spread over that many worker threads, at most IN_FLIGHT each,
 * and the main thread takes the next chunk itself while every worker has its fill (as while
 * they start): memory stays a few chunks, however large the input.
 */
export async function runChunks(
  files: readonly string[],
  spec: TaskSpec,
  threads: number,
  onResult: (result: ChunkResult, chunk: FileChunk) => void,
  ordered = true,
): Promise<void> {
  // A chunk holds up to a chunk's worth of the line before it, then a chunk read.
  const pool = new BufferPool(2 * CHUNK_BYTES);
  const chunks = fileChunks(files, CHUNK_BYTES, MAX_LINE_BYTES, pool);
  const collect = ordered ? fullCollection() : undefined;
  let handed = 0;
  const hand = (result: ChunkResult, chunk: FileChunk) => {
    onResult(result, chunk);
    if (++handed % COLLECT_EVERY === 0) collect?.();
  };
  if (threads === 0) {
    const run = chunkTask(spec);
    for (let c = chunks.next(); !c.done; c = chunks.next()) {
      const result = run(c.value);
      pool.give(c.value.bytes.buffer);
      hand(result, c.value);
    }
    return;
  }
  const url = new URL('./audit-worker.js', import.meta.url);
  // A worker keeps nothing between chunks, and V8 sizes a heap by its limits. The young
  // generation is what parsing churns through (at 4 MiB, scavenges took a third of the time);
  // the old one is capped well above what the longest line needs.
  const resourceLimits = { maxYoungGenerationSizeMb: 24, maxOldGenerationSizeMb: 192 };
  const workers = Array.from(
    { length: threads },
    () => new Worker(url, { workerData: spec, resourceLimits }),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const sent = new Map<number, FileChunk>();
      const done = new Map<number, ChunkResult>();
      const load = new Map<Worker, number>(workers.map((w) => [w, 0]));
      const local = chunkTask(spec);
      let nextId = 0;
      let nextResult = 0;
      let exhausted = false;
      let scheduled = false;
      const feed = (worker: Worker) => {
        while (!exhausted && load.get(worker)! < IN_FLIGHT) {
          const c = chunks.next();
          if (c.done) {
            exhausted = true;
            break;
          }
          const id = nextId++;
          sent.set(id, c.value);
          load.set(worker, load.get(worker)! + 1);
          const { bytes } = c.value;
          worker.postMessage(
            { id, chunk: c.value },
            bytes.byteLength > 0 ? [bytes.buffer as ArrayBuffer] : [],
          );
        }
      };
      const deliver = () => {
        for (let r = done.get(nextResult); r !== undefined; r = done.get(nextResult)) {
          done.delete(nextResult);
          const chunk = sent.get(nextResult)!;
          sent.delete(nextResult);
          nextResult++;
          hand(r, chunk);
        }
        if (exhausted && sent.size === 0) resolve();
      };
      // One chunk at a time, each in its own turn of the event loop, so that the workers'
      // results are taken (and the workers fed) between two.
      const workHere = () => {
        scheduled = false;
        try {
          if (exhausted || workers.some((w) => load.get(w)! < IN_FLIGHT)) return;
          const c = chunks.next();
          if (c.done) {
            exhausted = true;
            if (sent.size === 0) resolve();
            return;
          }
          const id = nextId++;
          const result = local(c.value);
          pool.give(c.value.bytes.buffer);
          if (ordered) {
            sent.set(id, c.value);
            done.set(id, result);
            deliver();
          } else hand(result, c.value);
          schedule();
        } catch (error) {
          reject(error);
        }
      };
      const schedule = () => {
        if (scheduled || exhausted) return;
        scheduled = true;
        setImmediate(workHere);
      };
      for (const worker of workers) {
        worker.on('error', reject);
        worker.on(
          'message',
          (m: { id: number; result?: ChunkResult; bytes?: Uint8Array; error?: string }) => {
            try {
              if (m.error !== undefined) throw new Error(`worker failed: ${m.error}`);
              if (m.bytes !== undefined) pool.give(m.bytes.buffer);
              load.set(worker, load.get(worker)! - 1);
              if (ordered) done.set(m.id, m.result!);
              else {
                const chunk = sent.get(m.id)!;
                sent.delete(m.id);
                hand(m.result!, chunk);
              }
              feed(worker);
              if (ordered) deliver();
              else if (exhausted && sent.size === 0) resolve();
              schedule();
            } catch (error) {
              reject(error);
            }
          },
        );
      }
      try {
        for (const worker of workers) feed(worker);
        deliver();
        schedule();
      } catch (error) {
        reject(error);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
