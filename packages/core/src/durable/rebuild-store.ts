import { existsSync, statSync } from 'node:fs';
import { readLinesSync } from '@flagstate/audit/internal';
import type { LruStateStore } from '../store/lru-state-store.js';
import { applyAuditLine } from './internal/apply-audit-line.js';
import { auditFiles, firstRecordId, sameRecordId } from './internal/audit-files.js';
import { readSnapshot, type SnapshotPosition } from './internal/state-snapshot.js';

/** What a start found: how the store was rebuilt, and how long it took. */
export interface RecoveryReport {
  /** Subjects loaded from the snapshot (0 without one). */
  readonly fromSnapshot: number;
  /** Audit lines read after the snapshot's position, and the store writes they gave. */
  readonly replayedLines: number;
  readonly replayedWrites: number;
  /** Lines that were not JSON (the file was edited: `flagstate verify` names them). */
  readonly badLines: number;
  /** Why the snapshot was not used, when there was one. */
  readonly snapshotProblem: string | undefined;
  /** Subjects known after the rebuild. */
  readonly subjects: number;
  readonly ms: number;
}

/**
 * Fills an empty store from the snapshot, then from the audit files after the snapshot's
 * position. Without that position's file (pruned, replaced) it reads every file: the newest
 * version of each subject wins, so a line the snapshot already holds changes nothing.
 */
export function rebuildStore(store: LruStateStore, auditPath: string, snapshotPath: string): RecoveryReport {
  const started = performance.now();
  let fromSnapshot = 0;
  let snapshotProblem: string | undefined;
  let position: SnapshotPosition | undefined;
  if (existsSync(snapshotPath)) {
    try {
      position = readSnapshot(snapshotPath, ({ machine, subject, record }) => {
        store.compareAndSet(machine, subject, 0, record);
        fromSnapshot++;
      });
    } catch (error) {
      snapshotProblem = (error as Error).message;
      fromSnapshot = 0;
      position = undefined;
      store.clear();
    }
  }
  const files = auditFiles(auditPath);
  let from = 0;
  let offset = 0;
  const snapFile = position?.fileFirst;
  if (position !== undefined && snapFile !== undefined) {
    const at = files.findIndex((f) => sameRecordId(firstRecordId(f), snapFile));
    if (at >= 0 && statSync(files[at]!).size >= position.offset) {
      from = at;
      offset = position.offset;
    }
  }
  let replayedLines = 0;
  let replayedWrites = 0;
  let badLines = 0;
  for (let i = from; i < files.length; i++) {
    for (const line of readLinesSync(files[i]!, i === from ? offset : 0)) {
      replayedLines++;
      try {
        if (applyAuditLine(store, line).wrote) replayedWrites++;
      } catch {
        badLines++;
      }
    }
  }
  return {
    fromSnapshot,
    replayedLines,
    replayedWrites,
    badLines,
    snapshotProblem,
    subjects: store.size(),
    ms: performance.now() - started,
  };
}
