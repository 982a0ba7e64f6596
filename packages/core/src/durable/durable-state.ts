import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog, fileSink } from '@flagstate/audit';
import { closeAtExit, closedBeforeExit } from '@flagstate/audit/internal';
import { LruStateStore } from '../store/lru-state-store.js';
import type { DurableStateOptions } from './durable-state-options.js';
import { auditFiles, firstRecordId } from './internal/audit-files.js';
import { type SnapshotPosition, writeSnapshot } from './internal/state-snapshot.js';
import { type RecoveryReport, rebuildStore } from './rebuild-store.js';

const AUDIT_FILE = 'audit.ndjson';
const SNAPSHOT_FILE = 'state.snapshot';
const SNAPSHOT_CHECK_MS = 1_000;

/**
 * The embedded durable setup: an audit log writing `dir/audit.ndjson` (rotated, linked and
 * sealed across restarts) and the state store rebuilt from it at start, from the last
 * snapshot plus the audit tail after it. The audit files are the write-ahead log: every store
 * write is one record, so the store after any stop is what replaying the files gives.
 */
export class DurableState {
  readonly audit: AuditLog;
  readonly store: LruStateStore;
  readonly recovery: RecoveryReport;
  readonly dir: string;
  readonly #path: string;
  readonly #snapshotPath: string;
  readonly #snapshotEvery: number;
  readonly #timer: NodeJS.Timeout;
  #snapshotAt = 0;
  #closed = false;

  constructor(options: DurableStateOptions) {
    const {
      dir,
      durability,
      maxBytes,
      maxSubjects = 1_000_000,
      snapshotEvery = 100_000,
      sinks = [],
      ...log
    } = options;
    if (!(Number.isInteger(snapshotEvery) && snapshotEvery >= 1)) {
      throw new RangeError(`snapshotEvery must be a positive integer, got ${snapshotEvery}`);
    }
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.#path = join(dir, AUDIT_FILE);
    this.#snapshotPath = join(dir, SNAPSHOT_FILE);
    this.#snapshotEvery = snapshotEvery;
    this.store = new LruStateStore({ maxSubjects, whenFull: 'refuse' });
    // The log opens first: its file sink cuts a torn last line away before the tail is read.
    const file = fileSink(this.#path, maxBytes === undefined ? {} : { maxBytes });
    this.audit = new AuditLog({ ...log, ...(durability ? { durability } : {}), sinks: [file, ...sinks] });
    this.recovery = rebuildStore(this.store, this.#path, this.#snapshotPath);
    if (this.recovery.badLines > 0) {
      process.emitWarning(
        `flagstate: ${this.recovery.badLines} audit line(s) in ${dir} are not JSON and were skipped while rebuilding state; run flagstate verify`,
        { code: 'FLAGSTATE_REBUILD' },
      );
    }
    if (this.recovery.snapshotProblem !== undefined) {
      process.emitWarning(
        `flagstate: ${this.recovery.snapshotProblem}; state was rebuilt from every audit file instead`,
        { code: 'FLAGSTATE_SNAPSHOT' },
      );
    }
    // A long tail is read once: the next start begins from here.
    if (this.recovery.replayedLines >= snapshotEvery) this.snapshot();
    this.#timer = setInterval(() => this.#maybeSnapshot(), SNAPSHOT_CHECK_MS);
    this.#timer.unref();
    // A stop by signal or exit closes the log, then snapshots, so that the next start is quick.
    closeAtExit(this);
  }

  /** Writes a snapshot now: the records so far are written and fsync'ed first, so it is never ahead of the files. */
  snapshot(): number {
    this.audit.flushSync();
    const position = this.#position();
    const n = writeSnapshot(this.#snapshotPath, position, this.store.entries());
    this.#snapshotAt = this.audit.stats().sequence;
    return n;
  }

  /** Closes the log (its closing checkpoint), then snapshots, so that the next start reads no tail. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    closedBeforeExit(this);
    await this.audit.close();
    this.snapshot();
  }

  /** `close()` with synchronous writes only: for exit and signals. */
  closeSync(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    closedBeforeExit(this);
    this.audit.closeSync();
    this.snapshot();
  }

  /** Writes what the log has queued, synchronously; for a signal the application handles. */
  flushSync(): void {
    this.audit.flushSync();
  }

  #maybeSnapshot(): void {
    if (this.audit.closed || this.audit.stats().sequence - this.#snapshotAt < this.#snapshotEvery) return;
    try {
      this.snapshot();
    } catch (error) {
      process.emitWarning(`flagstate: state snapshot failed: ${(error as Error).message}`, {
        code: 'FLAGSTATE_SNAPSHOT',
      });
    }
  }

  /** The end of the newest audit file now, known by that file's first record. */
  #position(): SnapshotPosition {
    const newest = auditFiles(this.#path).at(-1);
    const first = newest === undefined ? undefined : firstRecordId(newest);
    const stats = this.audit.stats();
    return {
      stream: this.audit.streamId,
      sequence: stats.sequence,
      fileFirst: first,
      offset: newest === undefined ? 0 : statSync(newest).size,
    };
  }
}

/** Rebuilds the store from `dir` and opens its audit log; see `DurableState`. */
export function openDurableState(options: DurableStateOptions): DurableState {
  return new DurableState(options);
}
