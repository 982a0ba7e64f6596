import type { AuditRecord } from './audit-record.js';
import { type AuditEntry, toEntries } from './read-audit.js';

/** A subject's state as the audit stream tells it: the fields of its store record. */
export interface ReplayedState {
  readonly machine: string;
  readonly subject: string;
  readonly state: string;
  readonly version: number;
  readonly machineVersion: number;
  /** Epoch ms. */
  readonly enteredAt: number;
  readonly pending?: string | undefined;
  /** The stay was reported stale (the store record's `stale` flag). */
  readonly stale: boolean;
}

export interface ReplayConflict {
  readonly machine: string;
  readonly subject: string;
  readonly version: number;
  /** `conflict`: two different records claim one version; `gap`: a version is missing. */
  readonly kind: 'conflict' | 'gap';
  readonly message: string;
}

export interface ReplayReport {
  /** Every (machine, subject), ordered by machine then subject. */
  readonly states: readonly ReplayedState[];
  /** Subjects per machine and state. */
  readonly counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly conflicts: readonly ReplayConflict[];
  /** State records read (races, checkpoints and gaps are not writes and are not counted). */
  readonly records: number;
}

/**
 * Rebuilds the state of every (machine, subject) from audit records from any number of files
 * and streams. Orders each subject's records by `subject_version`, not by arrival.
 */
export function replayAudit(input: Iterable<AuditRecord | AuditEntry>): ReplayReport {
  const subjects = new Map<string, Map<string, AuditRecord[]>>();
  let records = 0;
  for (const { record } of toEntries(input)) {
    const r = record as AuditRecord | undefined;
    const sc = r?.state_change;
    if (sc === undefined || r!.event.action === 'state-race') continue;
    records++;
    let bySubject = subjects.get(sc.machine);
    if (!bySubject) {
      bySubject = new Map();
      subjects.set(sc.machine, bySubject);
    }
    const list = bySubject.get(sc.subject) ?? [];
    list.push(r!);
    bySubject.set(sc.subject, list);
  }

  const states: ReplayedState[] = [];
  const conflicts: ReplayConflict[] = [];
  const counts: Record<string, Record<string, number>> = {};
  for (const machine of [...subjects.keys()].sort()) {
    const bySubject = subjects.get(machine)!;
    counts[machine] = {};
    for (const subject of [...bySubject.keys()].sort()) {
      const list = bySubject
        .get(subject)!
        .sort((a, b) => a.state_change!.subject_version - b.state_change!.subject_version);
      let expected = 1;
      let last: AuditRecord | undefined;
      for (const r of list) {
        const v = r.state_change!.subject_version;
        if (last !== undefined && v === last.state_change!.subject_version) {
          if (r.event.id !== last.event.id) {
            conflicts.push({
              machine,
              subject,
              version: v,
              kind: 'conflict',
              message: `two different records claim version ${v}`,
            });
          }
          continue;
        }
        if (v !== expected) {
          conflicts.push({
            machine,
            subject,
            version: expected,
            kind: 'gap',
            message: `versions ${expected}..${v - 1} are missing`,
          });
        }
        expected = v + 1;
        last = r;
      }
      const sc = last!.state_change!;
      states.push({
        machine,
        subject,
        state: sc.to,
        version: sc.subject_version,
        machineVersion: sc.machine_version,
        enteredAt: Date.parse(sc.entered_at ?? last!['@timestamp']),
        pending: sc.pending,
        stale: sc.stale === true,
      });
      counts[machine]![sc.to] = (counts[machine]![sc.to] ?? 0) + 1;
    }
  }
  return { states, counts, conflicts, records };
}
