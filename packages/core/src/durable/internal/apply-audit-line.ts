import { isoTimeValue } from '@flagstate/audit/internal';
import type { LruStateStore } from '../../store/lru-state-store.js';
import { stateRecord } from '../../store/state-record.js';

/** A record line's place in its stream, and the store write it stands for, if any. */
export interface AppliedLine {
  readonly stream: string | undefined;
  readonly sequence: number | undefined;
  /** The line wrote the store (it was newer than what the store had). */
  readonly wrote: boolean;
}

interface Line {
  event?: { action?: unknown; sequence?: unknown };
  audit?: { stream?: unknown };
  state_change?: {
    machine?: unknown;
    subject?: unknown;
    to?: unknown;
    subject_version?: unknown;
    machine_version?: unknown;
    entered_at?: unknown;
    pending?: unknown;
    stale?: unknown;
    last_known?: unknown;
  };
}

/**
 * Applies one audit line to the store being rebuilt. Every state record but a race's is one
 * store write, and carries the whole record it wrote; the newest version of a subject wins,
 * so applying a line twice, or lines the snapshot already holds, changes nothing.
 * Throws on a line that is not JSON.
 */
export function applyAuditLine(store: LruStateStore, text: string): AppliedLine {
  const r = JSON.parse(text) as Line;
  const stream = typeof r?.audit?.stream === 'string' ? r.audit.stream : undefined;
  const sequence = Number.isInteger(r?.event?.sequence) ? (r.event!.sequence as number) : undefined;
  const sc = r?.state_change;
  if (sc === undefined || sc === null || r.event?.action === 'state-race')
    return { stream, sequence, wrote: false };
  const { machine, subject, to, subject_version: version, machine_version: machineVersion } = sc;
  const enteredAt = typeof sc.entered_at === 'string' ? isoTimeValue(sc.entered_at) : Number.NaN;
  if (
    typeof machine !== 'string' ||
    typeof subject !== 'string' ||
    typeof to !== 'string' ||
    !Number.isInteger(version) ||
    !Number.isInteger(machineVersion) ||
    Number.isNaN(enteredAt)
  ) {
    return { stream, sequence, wrote: false };
  }
  const current = store.get(machine, subject);
  if (current !== undefined && current.version >= (version as number))
    return { stream, sequence, wrote: false };
  const pending = typeof sc.pending === 'string' ? sc.pending : undefined;
  const record = stateRecord(
    to,
    version as number,
    machineVersion as number,
    enteredAt,
    pending,
    sc.stale === true,
    typeof sc.last_known === 'string' ? sc.last_known : undefined,
  );
  store.compareAndSet(machine, subject, current?.version ?? 0, record);
  return { stream, sequence, wrote: true };
}
