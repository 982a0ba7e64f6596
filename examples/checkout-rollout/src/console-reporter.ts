/**
 * The demo's output: ordinary lines, plus one progress line that a terminal rewrites in place
 * (`\r`) and that a pipe or a log gets every few seconds instead.
 */
export class ConsoleReporter {
  readonly #out: NodeJS.WriteStream;
  readonly #tty: boolean;
  readonly #everyMs: number;
  #showing = false;
  #lastPrinted = Number.NEGATIVE_INFINITY;

  constructor(out: NodeJS.WriteStream = process.stdout, pipeEveryMs = 3000) {
    this.#out = out;
    this.#tty = out.isTTY === true;
    this.#everyMs = pipeEveryMs;
  }

  /** How often the caller should call `progress`. */
  get tickMs(): number {
    return this.#tty ? 250 : this.#everyMs;
  }

  line(text = ''): void {
    this.#clear();
    this.#out.write(`${text}\n`);
  }

  progress(text: string): void {
    if (this.#tty) {
      this.#out.write(`\r\x1b[K${text}`);
      this.#showing = true;
      return;
    }
    const now = performance.now();
    if (now - this.#lastPrinted < this.#everyMs - 50) return;
    this.#lastPrinted = now;
    this.#out.write(`${text}\n`);
  }

  /** Ends the progress line, so that what follows starts on a clean line. */
  done(): void {
    this.#clear();
  }

  #clear(): void {
    if (!this.#showing) return;
    this.#out.write('\r\x1b[K');
    this.#showing = false;
  }
}
