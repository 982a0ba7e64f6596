import { ACTION_SHAPES, type ScannedObject, ShapeMemo } from '@flagstate/audit/internal';

type Fields = Record<string, unknown>;
/**
 * What a field must be: a check, what it is called in a message, and its type's check on a
 * scanned line's member (see `scannedRecordFits`), for the fields it reads.
 */
type Rule = readonly [
  check: (value: unknown) => boolean,
  expected: string,
  scannedCheck?: (s: ScannedObject, member: number) => boolean,
];
/** The rules of an object's fields, as `[key, rule]` pairs. */
type Rules = readonly (readonly [string, Rule])[];
const rules = (byKey: Readonly<Record<string, Rule>>): Rules => Object.entries(byKey);

// In the scanned subset a number is an integer of at most 15 digits: safe, and finite.
const string: Rule = [(v) => typeof v === 'string', 'a string', (s, m) => s.isString(m)];
/** Only a checkpoint's field, which `scannedRecordFits` leaves to `recordProblem`. */
const boolean: Rule = [(v) => typeof v === 'boolean', 'true or false'];
const finite: Rule = [
  (v) => typeof v === 'number' && Number.isFinite(v),
  'a finite number',
  (s, m) => s.isInteger(m),
];
/** Sequences and versions: exact in a double, so that two of them never compare equal by rounding. */
const whole: Rule = [
  (v) => Number.isSafeInteger(v) && (v as number) >= 0,
  'a whole number',
  (s, m) => s.isInteger(m),
];

const TOP = rules({ '@timestamp': string, message: string });
const EVENT = rules({ sequence: whole, id: string, hash: string, reason: string });
const AUDIT = rules({ stream: string, prev_hash: string });
const STATE_CHANGE = rules({ machine: string, subject: string, to: string, subject_version: whole });
const STATE_CHANGE_OPTIONAL = rules({
  from: string,
  transition: string,
  reason: string,
  pending: string,
  entered_at: string,
  previous_entered_at: string,
  machine_version: whole,
  dwell_ms: finite,
});
const CHECKPOINT = rules({ count: whole, head: string });
const CHECKPOINT_OPTIONAL = rules({ final: boolean, signature: string });
const GAP = rules({ from_sequence: whole, to_sequence: whole, missed: whole });
const SUSPENSION = rules({ machine: string });
/** Actions whose records are state records: they must carry a `state_change`. */
const STATE_ACTIONS = new Set(Object.keys(ACTION_SHAPES).filter((a) => a.startsWith('state-')));

/**
 * Why a parsed line is not an audit record that `tail` and `replay` can read, as
 * `event.sequence: expected a whole number, got a string`; undefined when it is one. Every
 * field they read is checked (and the chain's own fields), so that no value of the wrong type
 * reaches the code that prints or counts it. Other fields are not looked at: a record may
 * carry more than this version knows of.
 */
export function recordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `the line is ${describe(value)}, not an object`;
  const r = value as Fields;
  const event = r.event;
  if (!isObject(event)) return expected('event', 'an object', event);
  const action = event.action;
  if (typeof action !== 'string') return expected('event.action', 'a string', action);
  if (r.state_change === undefined && STATE_ACTIONS.has(action))
    return expected('state_change', `an object in a ${action} record`, undefined);
  return (
    optional(r, '', TOP) ??
    optional(event, 'event.', EVENT) ??
    auditProblem(r.audit, action) ??
    stateChangeProblem(r.state_change)
  );
}

/**
 * Whether `recordProblem` finds nothing wrong with a canonical line's record, told from its
 * member table without making the record (see `scanCanonicalObject`). The types it checks are
 * the line's shape's, and are checked once per shape; per line, only what the values say: the
 * action, and that whole numbers have no sign. False also for the records it leaves to
 * `recordProblem` (checkpoints, gaps and suspensions, a few in a log): the caller then reads
 * the record and asks `recordProblem`, which alone words problems.
 */
export function scannedRecordFits(s: ScannedObject): boolean {
  const p = plans.of(s);
  if (!p.typed) return false;
  for (let i = 0; i < p.unsigned.length; i++)
    if (s.text.charCodeAt(s.valueStart(p.unsigned[i]!)) === 0x2d) return false;
  if (s.isText(p.action, 'audit-checkpoint') || s.isText(p.action, 'audit-gap')) return false;
  return p.stateChange || !STATE_ACTIONS.has(s.value(p.action) as string);
}

/** What `scannedRecordFits` knows of a shape. */
interface FitsPlan {
  /**
   * Every member is of its rule's type, and the record holds no checkpoint, gap or suspension
   * (its action, which the line holds, is checked per line).
   */
  readonly typed: boolean;
  /** `event.action`. */
  readonly action: number;
  readonly stateChange: boolean;
  /** Members that must be whole numbers. */
  readonly unsigned: Int32Array;
}

const plans = new ShapeMemo<FitsPlan>((s) => {
  const unsigned: number[] = [];
  const event = s.find(-1, 'event');
  const action = s.findIn(event, 'action');
  const audit = s.find(-1, 'audit');
  const sc = s.find(-1, 'state_change');
  const typed =
    s.isString(action) &&
    fits(s, -1, TOP, false, unsigned) &&
    fits(s, event, EVENT, false, unsigned) &&
    (audit < 0 ||
      (s.isObject(audit) &&
        fits(s, audit, AUDIT, false, unsigned) &&
        s.find(audit, 'checkpoint') < 0 &&
        s.find(audit, 'gap') < 0 &&
        s.find(audit, 'suspension') < 0)) &&
    (sc < 0 ||
      (s.isObject(sc) &&
        fits(s, sc, STATE_CHANGE, true, unsigned) &&
        fits(s, sc, STATE_CHANGE_OPTIONAL, false, unsigned)));
  return { typed, action, stateChange: sc >= 0, unsigned: Int32Array.from(unsigned) };
});

/**
 * `required` or `optional` on the members of `parent` (-1: the top level) of a scanned line,
 * as far as types tell; the members that must be whole numbers go in `unsigned`.
 */
function fits(s: ScannedObject, parent: number, of: Rules, required: boolean, unsigned: number[]): boolean {
  for (const [key, rule] of of) {
    const m = s.find(parent, key);
    if (m < 0) {
      if (required) return false;
      continue;
    }
    // A rule without a scanned check is left to recordProblem.
    if (rule[2] === undefined || !rule[2](s, m)) return false;
    if (rule === whole) unsigned.push(m);
  }
  return true;
}

function auditProblem(audit: unknown, action: string): string | undefined {
  if (audit === undefined) return undefined;
  if (!isObject(audit)) return expected('audit', 'an object', audit);
  const problem = optional(audit, 'audit.', AUDIT);
  if (problem !== undefined) return problem;
  const { checkpoint, gap, suspension } = audit;
  if (checkpoint !== undefined || action === 'audit-checkpoint') {
    if (!isObject(checkpoint)) return expected('audit.checkpoint', 'an object', checkpoint);
    const cp = required(checkpoint, 'audit.checkpoint.', CHECKPOINT);
    if (cp !== undefined) return cp;
    return optional(checkpoint, 'audit.checkpoint.', CHECKPOINT_OPTIONAL);
  }
  if (gap !== undefined || action === 'audit-gap') {
    if (!isObject(gap)) return expected('audit.gap', 'an object', gap);
    return required(gap, 'audit.gap.', GAP);
  }
  if (suspension !== undefined) {
    if (!isObject(suspension)) return expected('audit.suspension', 'an object', suspension);
    return optional(suspension, 'audit.suspension.', SUSPENSION);
  }
  return undefined;
}

function stateChangeProblem(sc: unknown): string | undefined {
  if (sc === undefined) return undefined;
  if (!isObject(sc)) return expected('state_change', 'an object', sc);
  return required(sc, 'state_change.', STATE_CHANGE) ?? optional(sc, 'state_change.', STATE_CHANGE_OPTIONAL);
}

// No key of the rules is a member of Object.prototype, so `o[key]` is an own field or nothing,
// even when the JSON holds a "__proto__" key (JSON.parse makes it an own field, not the prototype).

// Read by index, not destructured: destructuring goes through the array iterator, and made
// these checks a sixth of what replay does per record.
function required(o: Fields, prefix: string, of: Rules): string | undefined {
  for (let i = 0; i < of.length; i++) {
    const rule = of[i]!;
    const value = o[rule[0]];
    if (!rule[1][0](value)) return expected(prefix + rule[0], rule[1][1], value);
  }
  return undefined;
}

/** Like `required`, but a field may be absent. */
function optional(o: Fields, prefix: string, of: Rules): string | undefined {
  for (let i = 0; i < of.length; i++) {
    const rule = of[i]!;
    const value = o[rule[0]];
    if (value !== undefined && !rule[1][0](value)) return expected(prefix + rule[0], rule[1][1], value);
  }
  return undefined;
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expected(path: string, what: string, got: unknown): string {
  return `${path}: expected ${what}, got ${got === undefined ? 'nothing' : describe(got)}`;
}

/** A value's kind, never the value itself: that could be megabytes, or hostile text. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'a number out of range';
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return 'a number too large to be exact';
    return Number.isInteger(value) ? `the number ${value}` : 'a fractional number';
  }
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}
