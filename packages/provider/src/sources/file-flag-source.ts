import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { FLAG_DOCUMENT_LIMITS } from '../flag-document-limits.js';
import { FlagDocumentReadError } from '../flag-document-read-error.js';
import type { FlagSource, FlagSourceContent } from './flag-source.js';

export interface FileFlagSourceOptions {
  /**
   * Quiet time after the last change before the file is read again.
   * @default 100
   */
  readonly debounceMs?: number;
  /**
   * A larger file is refused rather than parsed (`FLAG_DOCUMENT_LIMITS.maxBytes`, which
   * `flagstate validate` applies too).
   * @default 4 MiB
   */
  readonly maxBytes?: number;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * A JSON or YAML flag document on disk, watched for changes. Watching the directory catches
 * editors that save by renaming a new file over the old one; each change is debounced, and a
 * content hash skips saves that changed nothing.
 */
export class FileFlagSource implements FlagSource {
  readonly name: string;
  readonly path: string;
  readonly #debounceMs: number;
  readonly #maxBytes: number;
  #lastHash: string | undefined;

  constructor(path: string, options: FileFlagSourceOptions = {}) {
    this.path = resolve(path);
    this.name = path;
    this.#debounceMs = options.debounceMs ?? 100;
    this.#maxBytes = options.maxBytes ?? FLAG_DOCUMENT_LIMITS.maxBytes;
  }

  async load(): Promise<FlagSourceContent> {
    // One handle for the size check and the read, so that a file growing in between is
    // still refused rather than read whole.
    let file: FileHandle;
    try {
      file = await open(this.path, 'r');
    } catch (error) {
      throw this.#error(error);
    }
    try {
      const { size } = await file.stat();
      if (size > this.#maxBytes) throw this.#tooLarge(size);
      const buffer = Buffer.alloc(Math.min(size, this.#maxBytes) + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await file.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length > this.#maxBytes) throw this.#tooLarge();
        if (length === buffer.length) break;
      }
      const text = buffer.toString('utf8', 0, length);
      this.#lastHash = FileFlagSource.#hash(text);
      return { text };
    } catch (error) {
      throw error instanceof FlagDocumentReadError ? error : this.#error(error);
    } finally {
      await file.close();
    }
  }

  #error(error: unknown): FlagDocumentReadError {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'the file does not exist' : String(error);
    return new FlagDocumentReadError('FLAG_DOCUMENT_UNREADABLE', this.name, what, { cause: error });
  }

  /** Sizes in MiB, or in bytes when MiB would not tell them apart. */
  #tooLarge(size?: number): FlagDocumentReadError {
    const max = this.#maxBytes;
    const what =
      size === undefined
        ? `the file grew while being read, over the ${mib(max)} limit (maxBytes)`
        : mib(size) === mib(max)
          ? `the file is ${size} bytes, over the ${max}-byte (${mib(max)}) limit (maxBytes)`
          : `the file is ${mib(size)}, over the ${mib(max)} limit (maxBytes)`;
    return new FlagDocumentReadError('FLAG_DOCUMENT_TOO_LARGE', this.name, what);
  }

  watch(listener: (content: FlagSourceContent | Error) => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    // One read at a time, so that documents are reported in the order they were saved; a
    // change during a read reads again after it.
    let reading = false;
    let again = false;
    const reload = async () => {
      timer = undefined;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          try {
            const previous = this.#lastHash;
            const content = await this.load();
            if (!stopped && 'text' in content && FileFlagSource.#hash(content.text) !== previous)
              listener(content);
          } catch (error) {
            this.#lastHash = undefined;
            if (!stopped) listener(error instanceof Error ? error : new Error(String(error)));
          }
        } while (again && !stopped);
      } finally {
        reading = false;
      }
    };
    const name = basename(this.path);
    const watcher: FSWatcher = watch(dirname(this.path), (_event, file) => {
      if (file !== null && file !== name) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => void reload(), this.#debounceMs);
    });
    watcher.on('error', (error) => listener(error));
    watcher.unref();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      watcher.close();
    };
  }

  static #hash(text: string): string {
    return createHash('sha256').update(text).digest('hex');
  }
}
