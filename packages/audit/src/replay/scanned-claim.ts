import { isoTimeValue } from '../internal/iso-time-value.js';
import type { ScannedObject } from '../verify/internal/canonical-scan.js';
import { ShapeMemo } from '../verify/internal/shape-memo.js';
import type { ReplayClaim } from './replay-claim.js';

/**
 * `readClaim` of a canonical line, read from its member table (see `scanCanonicalObject`)
 * instead of from an object made of the line: the same claim, or `undefined` where it makes
 * none; `null` where `readClaim` would say why the record cannot be replayed, which the
 * caller then asks it (so that there is one wording). In the scanned subset a number is an
 * integer and a string holds no escape; and every type `readClaim` checks is the line's shape's,
 * so the checks are made once per shape, with the lookups of the members read.
 */
export function scannedClaim(s: ScannedObject): ReplayClaim | undefined | null {
  const p = plans.of(s);
  if (p.stateChange < 0) return undefined;
  if (p.action >= 0 && s.isText(p.action, 'state-race')) return undefined;
  if (!p.typed) return null;
  const time = p.timestamp < 0 ? Number.NaN : isoTimeValue(s.value(p.timestamp) as string);
  // In readClaim's order, so that both make objects of one hidden class.
  return {
    machine: s.value(p.machine) as string,
    subject: s.value(p.subject) as string,
    version: s.value(p.version) as number,
    state: s.value(p.to) as string,
    machineVersion: (p.machineVersion < 0 ? undefined : s.value(p.machineVersion)) as number,
    enteredAt: p.enteredAt < 0 ? time : isoTimeValue(s.value(p.enteredAt) as string),
    pending: p.pending < 0 ? undefined : (s.value(p.pending) as string),
    stale: p.stale,
    lastKnown: p.lastKnown < 0 ? undefined : (s.value(p.lastKnown) as string),
    id: p.id < 0 ? '' : (s.value(p.id) as string),
    time: Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time,
    stream: p.stream < 0 ? undefined : (s.value(p.stream) as string),
    sequence: p.sequence < 0 ? undefined : (s.value(p.sequence) as number),
  };
}

/**
 * Where a shape's members are (-1: absent), and what its types say: `typed` for the fields
 * `readClaim` checks; `id`, `stream` and `sequence` are -1 too when not of the type it takes.
 */
interface ClaimPlan {
  readonly stateChange: number;
  /** `event.action`, when `event` is an object. */
  readonly action: number;
  /** Every type `readClaim` checks is right. */
  readonly typed: boolean;
  readonly machine: number;
  readonly subject: number;
  readonly to: number;
  readonly version: number;
  readonly machineVersion: number;
  readonly enteredAt: number;
  readonly pending: number;
  readonly lastKnown: number;
  readonly timestamp: number;
  /** -1 too when not of the type `readClaim` takes them in (it then leaves them out). */
  readonly id: number;
  readonly stream: number;
  readonly sequence: number;
  /** `true` is a literal, part of the shape. */
  readonly stale: boolean;
}

const plans = new ShapeMemo<ClaimPlan>((s) => {
  const sc = s.find(-1, 'state_change');
  const event = s.find(-1, 'event');
  const audit = s.find(-1, 'audit');
  const machine = s.findIn(sc, 'machine');
  const subject = s.findIn(sc, 'subject');
  const to = s.findIn(sc, 'to');
  const version = s.findIn(sc, 'subject_version');
  const machineVersion = s.findIn(sc, 'machine_version');
  const enteredAt = s.findIn(sc, 'entered_at');
  const pending = s.findIn(sc, 'pending');
  const lastKnown = s.findIn(sc, 'last_known');
  const stale = s.findIn(sc, 'stale');
  const timestamp = s.find(-1, '@timestamp');
  const id = s.findIn(event, 'id');
  const stream = s.findIn(audit, 'stream');
  const sequence = s.findIn(event, 'sequence');
  return {
    stateChange: sc,
    action: s.findIn(event, 'action'),
    typed:
      s.isObject(sc) &&
      s.isString(machine) &&
      s.isString(subject) &&
      s.isString(to) &&
      s.isInteger(version) &&
      absentOr(machineVersion, s.isInteger(machineVersion)) &&
      absentOr(enteredAt, s.isString(enteredAt)) &&
      absentOr(pending, s.isString(pending)) &&
      absentOr(lastKnown, s.isString(lastKnown)) &&
      absentOr(timestamp, s.isString(timestamp)),
    machine,
    subject,
    to,
    version,
    machineVersion,
    enteredAt,
    pending,
    lastKnown,
    timestamp,
    id: s.isString(id) ? id : -1,
    stream: s.isString(stream) ? stream : -1,
    sequence: s.isInteger(sequence) ? sequence : -1,
    stale: stale >= 0 && s.value(stale) === true,
  };
});

/** A member absent (`m` < 0), or present and of the type asked (`fits`). */
const absentOr = (m: number, fits: boolean) => m < 0 || fits;
