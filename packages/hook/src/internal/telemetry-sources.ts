import type { AuditLog } from '@flagstate/audit';
import type { StateStore } from '@flagstate/core';

/** Reports a failure of a source to the hook that registered it. */
export interface FailureReporter {
  report(kind: string, error: unknown): void;
}

interface LogEntry {
  readonly ref: WeakRef<AuditLog>;
  // Weak too: the reporter's hook holds the store and the log, which must stay collectable.
  readonly reporter: WeakRef<FailureReporter>;
  written: number;
  missed: number;
}

interface StoreEntry {
  readonly ref: WeakRef<StateStore>;
  readonly reporter: WeakRef<FailureReporter>;
  /** The log of the hook that brought the store: once it is closed, the store is retired too. */
  readonly audit: WeakRef<AuditLog>;
}

/**
 * The audit logs and stores of every hook in the process, each once. The observable metrics
 * sum over them, so that two hooks (the provider's and one the user added) neither hide nor
 * double each other's numbers. Weak references let unused logs and stores be collected; a log
 * that is gone keeps its last counts, so the counter never goes down.
 */
export class TelemetrySources {
  readonly #known = new WeakSet<object>();
  #logs: LogEntry[] = [];
  #stores: StoreEntry[] = [];
  #retiredWritten = 0;
  #retiredMissed = 0;

  add(store: StateStore, audit: AuditLog, reporter: FailureReporter): void {
    const weak = new WeakRef(reporter);
    if (!this.#known.has(audit)) {
      this.#known.add(audit);
      this.#logs.push({ ref: new WeakRef(audit), reporter: weak, written: 0, missed: 0 });
    }
    if (!this.#known.has(store)) {
      this.#known.add(store);
      this.#stores.push({ ref: new WeakRef(store), reporter: weak, audit: new WeakRef(audit) });
    }
  }

  /** Audit records written and records missed by subscribers, over every log, ever. */
  auditCounts(): { written: number; missed: number } {
    let written = this.#retiredWritten;
    let missed = this.#retiredMissed;
    const live: LogEntry[] = [];
    for (const entry of this.#logs) {
      const log = entry.ref.deref();
      if (log !== undefined) {
        try {
          const stats = log.stats();
          entry.written = stats.sequence;
          entry.missed = stats.missed;
        } catch (error) {
          entry.reporter.deref()?.report('audit statistics', error);
        }
      }
      written += entry.written;
      missed += entry.missed;
      if (log === undefined || log.closed) {
        this.#retiredWritten += entry.written;
        this.#retiredMissed += entry.missed;
      } else live.push(entry);
    }
    this.#logs = live;
    return { written, missed };
  }

  /** Subjects evicted and refused by every live store that counts them (`StateStore.stats`). */
  storeCounts(): { evicted: number; refused: number } {
    let evicted = 0;
    let refused = 0;
    for (const entry of this.#stores) {
      const store = entry.ref.deref();
      if (store?.stats === undefined) continue;
      try {
        const stats = store.stats();
        evicted += stats.evicted;
        refused += stats.refused;
      } catch (error) {
        entry.reporter.deref()?.report('store statistics', error);
      }
    }
    return { evicted, refused };
  }

  /** Subjects tracked by every live store; a store that fails to answer is left out and reported. */
  async subjects(): Promise<number> {
    // A provider that closed (a restart leaves the old one for the collector) counts no more.
    this.#stores = this.#stores.filter(
      (entry) => entry.ref.deref() !== undefined && entry.audit.deref()?.closed !== true,
    );
    const sizes = await Promise.all(
      this.#stores.map(async (entry) => {
        try {
          return (await entry.ref.deref()?.size()) ?? 0;
        } catch (error) {
          entry.reporter.deref()?.report('store size', error);
          return 0;
        }
      }),
    );
    return sizes.reduce((a, b) => a + b, 0);
  }
}
