import type { AuditRecord } from './audit-record.js';

/**
 * What replay keeps of a state record: the subject's store record as written, and what places
 * and orders the record. Plain data, so that a worker thread can send it.
 */
export interface ReplayClaim {
  readonly machine: string;
  readonly subject: string;
  readonly version: number;
  readonly state: string;
  readonly machineVersion: number;
  /** Epoch ms. */
  readonly enteredAt: number;
  readonly pending: string | undefined;
  readonly stale: boolean;
  /** `event.id`, or "" when absent. */
  readonly id: string;
  /** `@timestamp` in epoch ms; -Infinity when absent or unreadable. */
  readonly time: number;
  /** `audit.stream` and `event.sequence`: where the record sits in its chain, when it is chained. */
  readonly stream: string | undefined;
  readonly sequence: number | undefined;
}

/** The claim a record makes on its subject's next version, or undefined if it makes none (not a write, or not one of ours). */
export function replayClaim(record: unknown): ReplayClaim | undefined {
  const r = record as Partial<AuditRecord> | undefined;
  const sc = r?.state_change;
  if (typeof sc !== 'object' || sc === null || r!.event?.action === 'state-race') return undefined;
  if (typeof sc.machine !== 'string' || typeof sc.subject !== 'string' || typeof sc.to !== 'string') {
    return undefined;
  }
  if (!Number.isInteger(sc.subject_version)) return undefined;
  const timestamp = r!['@timestamp'] as string;
  const time = Date.parse(timestamp);
  const sequence = r!.event?.sequence;
  return {
    machine: sc.machine,
    subject: sc.subject,
    version: sc.subject_version,
    state: sc.to,
    machineVersion: sc.machine_version,
    enteredAt: Date.parse(sc.entered_at ?? timestamp),
    pending: typeof sc.pending === 'string' ? sc.pending : undefined,
    stale: sc.stale === true,
    id: typeof r!.event?.id === 'string' ? r!.event.id : '',
    time: Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time,
    stream: typeof r!.audit?.stream === 'string' ? r!.audit.stream : undefined,
    sequence: Number.isInteger(sequence) ? sequence : undefined,
  };
}

/** What orders claims. */
export type ClaimOrder = Pick<ReplayClaim, 'version' | 'time' | 'id'>;

/**
 * The total order that settles two records claiming one version: the later `@timestamp` wins
 * (the last write), and at the same time the larger `event.id`. Positive when `a` wins.
 */
export function compareClaims(a: ClaimOrder, b: ClaimOrder): number {
  if (a.version !== b.version) return a.version - b.version;
  if (a.time !== b.time) return a.time > b.time ? 1 : -1;
  return a.id > b.id ? 1 : a.id < b.id ? -1 : 0;
}
