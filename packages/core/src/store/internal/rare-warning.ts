/**
 * A process warning on the 1st, 2nd, 4th, 8th… occurrence of one kind, with the running count:
 * a condition that repeats on every evaluation shows up, without flooding the log.
 */
export class RareWarning {
  #count = 0;
  readonly #code: string;

  constructor(code: string) {
    this.#code = code;
  }

  get count(): number {
    return this.#count;
  }

  /** Counts one occurrence; `message` is built only when a warning is due. */
  hit(message: (count: number) => string): void {
    const n = ++this.#count;
    if ((n & (n - 1)) === 0) process.emitWarning(message(n), { code: this.#code });
  }
}
