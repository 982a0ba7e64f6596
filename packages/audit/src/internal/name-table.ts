/**
 * Names numbered in the order first seen, for batches that carry numbers instead of repeated
 * strings (worker threads sending records to the main thread): `ref` a name, send `names`.
 */
export class NameTable {
  readonly names: string[] = [];
  readonly #index = new Map<string, number>();

  /** The name's number; -1 for `undefined`. */
  ref(name: string | undefined): number {
    if (name === undefined) return -1;
    let i = this.#index.get(name);
    if (i === undefined) {
      i = this.names.push(name) - 1;
      this.#index.set(name, i);
    }
    return i;
  }
}
