import { type ScannedObject, scanCanonicalObject } from '@flagstate/audit/internal';

/**
 * What `replay` and `tail --json` read of a record, made from a canonical line's member table
 * instead of parsing the line: the fields `recordProblem`, `readClaim` and the record filter
 * read, each with the value JSON.parse would give it (absent: undefined), and no other. On a
 * 1.2 KB record it costs half a JSON.parse. record-view.test.ts checks that the three read the
 * same from it as from the parsed line, for every field of every kind of record.
 */
export function recordView(s: ScannedObject): unknown {
  const event = s.find(-1, 'event');
  const audit = s.find(-1, 'audit');
  const sc = s.find(-1, 'state_change');
  return {
    '@timestamp': memberValue(s, s.find(-1, '@timestamp')),
    message: memberValue(s, s.find(-1, 'message')),
    event: s.isObject(event) ? eventView(s, event) : memberValue(s, event),
    audit: s.isObject(audit) ? auditView(s, audit) : memberValue(s, audit),
    state_change: s.isObject(sc) ? stateChangeView(s, sc) : memberValue(s, sc),
  };
}

const memberValue = (s: ScannedObject, m: number) => (m < 0 ? undefined : s.value(m));
const field = (s: ScannedObject, parent: number, key: string) => memberValue(s, s.find(parent, key));

function eventView(s: ScannedObject, e: number): unknown {
  return {
    action: field(s, e, 'action'),
    sequence: field(s, e, 'sequence'),
    id: field(s, e, 'id'),
    hash: field(s, e, 'hash'),
    reason: field(s, e, 'reason'),
  };
}

function auditView(s: ScannedObject, a: number): unknown {
  return {
    stream: field(s, a, 'stream'),
    prev_hash: field(s, a, 'prev_hash'),
    checkpoint: field(s, a, 'checkpoint'),
    gap: field(s, a, 'gap'),
    suspension: field(s, a, 'suspension'),
  };
}

function stateChangeView(s: ScannedObject, c: number): unknown {
  return {
    machine: field(s, c, 'machine'),
    subject: field(s, c, 'subject'),
    to: field(s, c, 'to'),
    subject_version: field(s, c, 'subject_version'),
    from: field(s, c, 'from'),
    transition: field(s, c, 'transition'),
    reason: field(s, c, 'reason'),
    pending: field(s, c, 'pending'),
    entered_at: field(s, c, 'entered_at'),
    previous_entered_at: field(s, c, 'previous_entered_at'),
    machine_version: field(s, c, 'machine_version'),
    dwell_ms: field(s, c, 'dwell_ms'),
    stale: field(s, c, 'stale'),
    last_known: field(s, c, 'last_known'),
  };
}

/**
 * A line as `replay` and `tail --json` read it: its view when it is canonical (`plain`: see
 * `scanCanonicalObject`), else JSON.parse of it, which throws for what is not JSON.
 */
export function readRecord(text: string, plain: boolean): unknown {
  return recordOf(text, scanCanonicalObject(text, plain));
}

/** `readRecord` of a line already scanned (`scanned`: its member table, or undefined when it is not canonical). */
export function recordOf(text: string, scanned: ScannedObject | undefined): unknown {
  return scanned === undefined ? JSON.parse(text) : recordView(scanned);
}
