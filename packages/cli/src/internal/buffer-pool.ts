/**
 * Buffers for reading chunks, taken back once their chunk is read (a worker thread hands its
 * chunk's buffer back with the result): allocating a megabyte outside the heap for every
 * chunk made V8 collect the whole heap every few dozen chunks, and kept as many buffers
 * alive as it let pile up between two collections.
 */
export class BufferPool {
  readonly size: number;
  readonly #free: ArrayBuffer[] = [];

  constructor(size: number) {
    this.size = size;
  }

  take(): Buffer {
    const free = this.#free.pop();
    return free === undefined ? Buffer.allocUnsafeSlow(this.size) : Buffer.from(free);
  }

  /** Takes back the memory of a chunk read; any other buffer (a long line gathered) is left to the collector. */
  give(buffer: ArrayBufferLike): void {
    if (buffer.byteLength === this.size && this.#free.length < 16) this.#free.push(buffer as ArrayBuffer);
  }
}
