import type { FlagSource, FlagSourceContent } from './flag-source.js';

/** A document held in memory (an object or JSON/YAML text); `update` replaces it, as a reload. */
export class MemoryFlagSource implements FlagSource {
  readonly name: string;
  #content: FlagSourceContent;
  readonly #listeners = new Set<(content: FlagSourceContent | Error) => void>();

  constructor(document: unknown, name = 'memory') {
    this.name = name;
    this.#content = MemoryFlagSource.#wrap(document);
  }

  static #wrap(document: unknown): FlagSourceContent {
    return typeof document === 'string' ? { text: document } : { document };
  }

  async load(): Promise<FlagSourceContent> {
    return this.#content;
  }

  watch(listener: (content: FlagSourceContent | Error) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Replaces the document and notifies the provider. */
  update(document: unknown): void {
    this.#content = MemoryFlagSource.#wrap(document);
    for (const listener of this.#listeners) listener(this.#content);
  }
}
