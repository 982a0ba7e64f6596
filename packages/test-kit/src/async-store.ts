/** The synchronous store an AsyncStore defers to: `LruStateStore`, structurally. */
export interface SyncStore<R, E> {
  get(machine: string, subject: string): R | undefined;
  compareAndSet(machine: string, subject: string, expected: number, record: R): boolean;
  size(): number;
  entries(): E;
}

/** A store that answers on a later turn, as a networked store would, so that writers interleave. */
export class AsyncStore<R, E> {
  readonly tick = () => new Promise<void>((resolve) => setImmediate(resolve));

  constructor(readonly inner: SyncStore<R, E>) {}

  async get(machine: string, subject: string): Promise<R | undefined> {
    await this.tick();
    return this.inner.get(machine, subject);
  }

  async compareAndSet(machine: string, subject: string, expected: number, record: R): Promise<boolean> {
    await this.tick();
    return this.inner.compareAndSet(machine, subject, expected, record);
  }

  async size(): Promise<number> {
    return this.inner.size();
  }

  entries(): E {
    return this.inner.entries();
  }
}
