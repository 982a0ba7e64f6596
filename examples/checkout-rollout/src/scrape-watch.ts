/**
 * Tells when `/metrics` was scraped: the demo can wait, after its load, for one scrape that
 * started once every transition was counted, so that a Prometheus server holds the final counts.
 */
export class ScrapeWatch {
  #scrapes = 0;
  readonly #waiting = new Set<{ readonly after: number; readonly done: () => void }>();

  /** Called as a scrape begins; returns what to call when its response has been sent. */
  started(): () => void {
    const at = performance.now();
    return () => {
      this.#scrapes++;
      for (const w of this.#waiting) {
        if (at >= w.after) {
          this.#waiting.delete(w);
          w.done();
        }
      }
    };
  }

  /** Scrapes answered so far. */
  get scrapes(): number {
    return this.#scrapes;
  }

  /** True once a scrape that started from now on has been answered; false after `timeoutMs`. */
  next(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter = {
        after: performance.now(),
        done: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.#waiting.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.#waiting.add(waiter);
    });
  }
}
