/** Calls waiting for the first connection, each for as long as its own time allows. */
export class Waiters {
  readonly #wakes = new Set<() => void>();

  /** Resolves `true` when woken, `false` when `ms` ran out first. */
  wait(ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakes.delete(wake);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#wakes.delete(wake);
        resolve(false);
      }, ms);
      this.#wakes.add(wake);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.#wakes]) wake();
  }
}
