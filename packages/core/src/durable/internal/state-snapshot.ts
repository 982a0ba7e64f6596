import { closeSync, fsyncSync, openSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { readLinesSync, writeAllSync } from '@flagstate/audit/internal';
import { type StateRecord, stateRecord } from '../../store/state-record.js';
import type { StateEntry } from '../../store/state-store.js';

const FORMAT = 'flagstate-state-snapshot/1';

/** Where in the audit files a snapshot was taken: the tail to replay starts there. */
export interface SnapshotPosition {
  /** `audit.stream` and `event.sequence` of the last record the snapshot includes. */
  readonly stream: string;
  readonly sequence: number;
  /** The file it was in, known by its first record (files are renamed by rotation). */
  readonly fileFirst: { readonly stream: string; readonly sequence: number } | undefined;
  /** Bytes of that file the snapshot includes. */
  readonly offset: number;
}

/**
 * Writes every record with the position it reflects: one header line, then one line per
 * subject, to a temporary file that is fsync'ed and renamed into place, so that a crash
 * leaves the old snapshot or the new one, never a mix.
 */
export function writeSnapshot(
  path: string,
  position: SnapshotPosition,
  entries: Iterable<StateEntry>,
): number {
  const temp = `${path}.tmp`;
  const fd = openSync(temp, 'w');
  let count = 0;
  try {
    writeAllSync(
      fd,
      `${JSON.stringify({ format: FORMAT, takenAt: new Date().toISOString(), ...position })}\n`,
    );
    let batch = '';
    for (const { machine, subject, record: r } of entries) {
      batch += `${JSON.stringify([machine, subject, r.state, r.version, r.machineVersion, r.enteredAt, r.pending ?? null, r.stale === true, ...(r.lastKnown === undefined ? [] : [r.lastKnown])])}\n`;
      count++;
      if (batch.length > 1 << 20) {
        writeAllSync(fd, batch);
        batch = '';
      }
    }
    writeAllSync(fd, batch);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  syncDirectory(dirname(path));
  return count;
}

/**
 * Reads a snapshot, handing each entry to `onEntry` as it goes (a million subjects are never
 * held twice); throws with the line that is wrong, so that the caller replays everything.
 */
export function readSnapshot(path: string, onEntry: (entry: StateEntry) => void): SnapshotPosition {
  let position: SnapshotPosition | undefined;
  let line = 0;
  for (const text of readLinesSync(path)) {
    line++;
    const value: unknown = JSON.parse(text);
    if (position === undefined) {
      const h = value as { format?: unknown } & SnapshotPosition;
      if (h?.format !== FORMAT || typeof h.stream !== 'string' || !Number.isInteger(h.sequence)) {
        throw new Error(`${path}:1: not a ${FORMAT} header`);
      }
      position = { stream: h.stream, sequence: h.sequence, fileFirst: h.fileFirst, offset: h.offset };
      continue;
    }
    const entry = entryOf(value);
    if (entry === undefined) throw new Error(`${path}:${line}: not a snapshot entry`);
    onEntry(entry);
  }
  if (position === undefined) throw new Error(`${path}: empty`);
  return position;
}

function entryOf(value: unknown): StateEntry | undefined {
  // A ninth item, the last known state, only while the state is not one (older snapshots: never).
  if (!Array.isArray(value) || (value.length !== 8 && value.length !== 9)) return undefined;
  const [machine, subject, state, version, machineVersion, enteredAt, pending, stale, lastKnown] =
    value as unknown[];
  if (typeof machine !== 'string' || typeof subject !== 'string' || typeof state !== 'string')
    return undefined;
  if (!Number.isInteger(version) || !Number.isInteger(machineVersion) || typeof enteredAt !== 'number')
    return undefined;
  if (pending !== null && typeof pending !== 'string') return undefined;
  if (lastKnown !== undefined && typeof lastKnown !== 'string') return undefined;
  const record: StateRecord = stateRecord(
    state,
    version as number,
    machineVersion as number,
    enteredAt,
    (pending as string | null) ?? undefined,
    stale === true,
    lastKnown,
  );
  return { machine, subject, record };
}

/** A rename is durable once its directory is: fsync it where the platform allows. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a directory; its renames are durable without.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
