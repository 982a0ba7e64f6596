import type { AuditRecord } from '@flagstate/core';
import { formatDuration } from '@flagstate/core/internal';
import type { StyleFormat } from '../io.js';

type Style = (format: StyleFormat, text: string) => string;
const plain: Style = (_format, text) => text;

/** Actions that report something went wrong or was held back: shown with their action and reason. */
const FLAGGED: Readonly<Record<string, StyleFormat>> = {
  'state-transition-illegal': 'red',
  'state-race': 'red',
  'state-stale': 'yellow',
  'state-transition-held': 'yellow',
};

/**
 * One audit record as a line a person reads while tailing, e.g.
 * `10:15:30.123 checkout user-42 canary → v2 (promote, 1d 0h)`. Times are UTC, as recorded.
 */
export function formatLine(record: AuditRecord, style: Style = plain): string {
  const action = record.event?.action;
  // Checkpoints are bookkeeping: the whole line is dimmed so that state changes stand out.
  if (action === 'audit-checkpoint')
    return style('dim', `${timeOf(record['@timestamp'])} ${checkpoint(record)}`);
  const time = style('dim', timeOf(record['@timestamp']));
  const sc = record.state_change;
  if (action === 'audit-gap') {
    const gap = record.audit?.gap;
    const what = gap ? `missed records ${gap.from_sequence}..${gap.to_sequence} (${gap.missed})` : '';
    return `${time} ${style('yellow', `audit-gap ${what}`.trim())}`;
  }
  if (sc === undefined) return `${time} ${action ?? 'record'} ${record.message ?? ''}`.trimEnd();

  const head = `${time} ${style('bold', sc.machine)} ${style('cyan', sc.subject)}`;
  const dwell = sc.dwell_ms === undefined ? undefined : formatDuration(sc.dwell_ms);
  switch (action) {
    case 'state-init':
      return `${head} → ${sc.to} (init)`;
    case 'state-transition':
      return `${head} ${sc.from} → ${sc.to} (${details(sc.transition, dwell)})`;
    case 'state-migration':
      return `${head} ${sc.from} → ${sc.to} (migration to v${sc.machine_version})`;
    case 'state-transition-held':
      return `${head} ${sc.to} ⇢ ${sc.pending ?? '?'} ${flag(action, sc.reason, style)}`;
    case 'state-stale':
      return `${head} ${sc.to}${dwell === undefined ? '' : ` (${dwell})`} ${flag(action, sc.reason, style)}`;
    default: {
      const detail = details(sc.transition, dwell);
      const move = `${sc.from ?? '∅'} → ${sc.to}${detail === '' ? '' : ` (${detail})`}`;
      return `${head} ${move} ${flag(action ?? 'record', sc.reason, style)}`;
    }
  }
}

/** `HH:MM:SS.mmm` of an ISO timestamp; anything else is shown as it is. */
function timeOf(timestamp: string | undefined): string {
  if (timestamp === undefined) return '--:--:--.---';
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(timestamp) ? timestamp.slice(11, 23) : timestamp;
}

function details(...parts: Array<string | undefined>): string {
  return parts.filter((p) => p !== undefined && p !== '').join(', ');
}

function flag(action: string, reason: string | undefined, style: Style): string {
  const text = `[${action}${reason === undefined ? '' : `: ${reason}`}]`;
  return style(FLAGGED[action] ?? 'magenta', text);
}

function checkpoint(record: AuditRecord): string {
  const cp = record.audit?.checkpoint;
  if (cp === undefined) return `checkpoint ${record.event?.sequence ?? '?'}`;
  const notes = [cp.final ? 'final' : '', cp.signature === undefined ? '' : 'signed'].filter(Boolean);
  const tail = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  return `checkpoint ${record.event.sequence}: ${cp.count} records, head ${cp.head.slice(0, 12)}${tail}`;
}
