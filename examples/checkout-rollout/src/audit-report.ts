import {
  type AuditRecord,
  type ReplayReport,
  readAuditFiles,
  replayAudit,
  type VerifyReport,
  verifyAudit,
} from '@flagstate/audit';
import { LatencyRecorder } from './latency-recorder.js';

/** The audit file, read back and tallied for the summary. */
export interface AuditReport {
  readonly records: number;
  readonly byAction: ReadonlyMap<string, number>;
  /** `state-transition` records by edge, keyed `from->to` (the form renderMermaid counts take). */
  readonly transitions: ReadonlyMap<string, number>;
  /** `state-transition` records by declared transition name (`promote`, `rollback`, …). */
  readonly byName: ReadonlyMap<string, number>;
  /** `state-transition-held` records by why the provider held the subject. */
  readonly heldByReason: ReadonlyMap<string, number>;
  /** `state-transition-illegal` records by reason. */
  readonly illegalByReason: ReadonlyMap<string, number>;
  /** State records, and those that carry the request span's trace id. */
  readonly stateRecords: number;
  readonly traceIds: ReadonlySet<string>;
  readonly traced: number;
  /** `event.duration` of state records (the hook's before -> finally), in nanoseconds. */
  readonly durationsNs: LatencyRecorder;
  readonly verify: VerifyReport;
  readonly replay: ReplayReport;
}

/** Reads the audit files, verifies the chain and replays the states. */
export function readAuditReport(files: readonly string[]): AuditReport {
  const entries = readAuditFiles(files);
  const byAction = new Map<string, number>();
  const transitions = new Map<string, number>();
  const byName = new Map<string, number>();
  const heldByReason = new Map<string, number>();
  const illegalByReason = new Map<string, number>();
  const traceIds = new Set<string>();
  let stateRecords = 0;
  let traced = 0;
  const durationsNs = new LatencyRecorder();
  for (const { record } of entries) {
    const r = record as AuditRecord | undefined;
    if (r?.event === undefined) continue;
    bump(byAction, r.event.action);
    const sc = r.state_change;
    if (sc === undefined) continue;
    stateRecords++;
    if (r.event.duration !== undefined) durationsNs.record(r.event.duration);
    if (r.trace !== undefined) {
      traced++;
      traceIds.add(r.trace.id);
    }
    if (r.event.action === 'state-transition') {
      bump(transitions, `${sc.from}->${sc.to}`);
      bump(byName, sc.transition ?? `${sc.from}->${sc.to}`);
    } else if (r.event.action === 'state-transition-held') {
      bump(heldByReason, sc.reason ?? 'unknown');
    } else if (r.event.action === 'state-transition-illegal') {
      bump(illegalByReason, sc.reason ?? 'unknown');
    }
  }
  return {
    records: entries.length,
    byAction,
    transitions,
    byName,
    heldByReason,
    illegalByReason,
    stateRecords,
    traceIds,
    traced,
    durationsNs,
    verify: verifyAudit(entries),
    replay: replayAudit(entries),
  };
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
