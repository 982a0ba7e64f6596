import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { FlagSource, FlagSourceContent } from './flag-source.js';

export interface FileFlagSourceOptions {
  /**
   * Quiet time after the last change before the file is read again.
   * @default 100
   */
  readonly debounceMs?: number;
  /**
   * A larger file is refused rather than parsed.
   * @default 4 MiB
   */
  readonly maxBytes?: number;
}

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
    this.#maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  }

  async load(): Promise<FlagSourceContent> {
    let size: number;
    try {
      size = (await stat(this.path)).size;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(
        code === 'ENOENT' ? `${this.name}: the file does not exist` : `${this.name}: ${String(error)}`,
      );
    }
    if (size > this.#maxBytes) {
      throw new Error(
        `${this.name}: the file is ${(size / 2 ** 20).toFixed(1)} MiB, over the ${(this.#maxBytes / 2 ** 20).toFixed(1)} MiB limit (maxBytes)`,
      );
    }
    const text = await readFile(this.path, 'utf8');
    this.#lastHash = FileFlagSource.#hash(text);
    return { text };
  }

  watch(listener: (content: FlagSourceContent | Error) => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const reload = async () => {
      timer = undefined;
      try {
        const previous = this.#lastHash;
        const content = await this.load();
        if (!stopped && 'text' in content && FileFlagSource.#hash(content.text) !== previous)
          listener(content);
      } catch (error) {
        this.#lastHash = undefined;
        if (!stopped) listener(error instanceof Error ? error : new Error(String(error)));
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
