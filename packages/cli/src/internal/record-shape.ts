import { ACTION_SHAPES } from '@flagstate/core/internal';

type Fields = Record<string, unknown>;
/** What a field must be: a check, and what it is called in a message. */
type Rule = readonly [check: (value: unknown) => boolean, expected: string];
/** The rules of an object's fields, as `[key, rule]` pairs. */
type Rules = readonly (readonly [string, Rule])[];
const rules = (byKey: Readonly<Record<string, Rule>>): Rules => Object.entries(byKey);

const string: Rule = [(v) => typeof v === 'string', 'a string'];
const boolean: Rule = [(v) => typeof v === 'boolean', 'true or false'];
const finite: Rule = [(v) => typeof v === 'number' && Number.isFinite(v), 'a finite number'];
/** Sequences and versions: exact in a double, so that two of them never compare equal by rounding. */
const whole: Rule = [(v) => Number.isSafeInteger(v) && (v as number) >= 0, 'a whole number'];

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
