import { describeValue } from '../internal/describe-value.js';
import { isObject } from '../internal/is-object.js';
import { isoTimeValue } from '../internal/iso-time-value.js';

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
  /** `state_change.last_known`: while `state` is not a state of the machine, the last one that is. */
  readonly lastKnown: string | undefined;
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
  const claim = readClaim(record);
  return typeof claim === 'string' ? undefined : claim;
}

/**
 * `replayClaim`, or why a state record cannot be replayed: a field replay reads is of the wrong
 * type (`state_change.entered_at: expected a string, got an object`). Each field is checked
 * before it is used, so that no value reaches code that would coerce it: `Date.parse` of an
 * object whose own `toString` is not a function throws.
 */
export function readClaim(record: unknown): ReplayClaim | undefined | string {
  if (typeof record !== 'object' || record === null) return undefined;
  const r = record as Record<string, unknown>;
  const event = isObject(r.event) ? r.event : undefined;
  const sc = r.state_change;
  if (sc === undefined || event?.action === 'state-race') return undefined;
  if (!isObject(sc)) return expected('state_change', 'an object', sc);
  const { machine, subject, to, subject_version: version } = sc;
  if (typeof machine !== 'string') return expected('state_change.machine', 'a string', machine);
  if (typeof subject !== 'string') return expected('state_change.subject', 'a string', subject);
  if (typeof to !== 'string') return expected('state_change.to', 'a string', to);
  if (!Number.isInteger(version)) return expected('state_change.subject_version', 'a whole number', version);
  const { machine_version: machineVersion, entered_at: enteredAt, pending } = sc;
  if (machineVersion !== undefined && typeof machineVersion !== 'number')
    return expected('state_change.machine_version', 'a number', machineVersion);
  if (enteredAt !== undefined && typeof enteredAt !== 'string')
    return expected('state_change.entered_at', 'a string', enteredAt);
  if (pending !== undefined && typeof pending !== 'string')
    return expected('state_change.pending', 'a string', pending);
  const lastKnown = sc.last_known;
  if (lastKnown !== undefined && typeof lastKnown !== 'string')
    return expected('state_change.last_known', 'a string', lastKnown);
  const timestamp = r['@timestamp'];
  if (timestamp !== undefined && typeof timestamp !== 'string')
    return expected('@timestamp', 'a string', timestamp);
  const time = timestamp === undefined ? Number.NaN : isoTimeValue(timestamp);
  const audit = isObject(r.audit) ? r.audit : undefined;
  const sequence = event?.sequence;
  return {
    machine,
    subject,
    version: version as number,
    state: to,
    machineVersion: machineVersion as number,
    enteredAt: enteredAt === undefined ? time : isoTimeValue(enteredAt),
    pending,
    stale: sc.stale === true,
    lastKnown,
    id: typeof event?.id === 'string' ? event.id : '',
    time: Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time,
    stream: typeof audit?.stream === 'string' ? audit.stream : undefined,
    sequence: Number.isInteger(sequence) ? (sequence as number) : undefined,
  };
}

const expected = (path: string, what: string, got: unknown) =>
  `${path}: expected ${what}, got ${describeValue(got)}`;

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
