import { canonicalJson } from '../../internal/canonical-json.js';
import type { AuditFields, AuditRecord } from '../audit-record.js';

/*
 * RFC 8785 canonical JSON of a state-change record, written member by member in the record's
 * fixed key order (UTF-16 order, by hand) instead of sorting every object's keys at run time:
 * the generic serializer was a quarter of a state change's cost. Strings go through
 * JSON.stringify, which is exactly RFC 8785's string form (lone surrogates escaped); numbers
 * as JSON.stringify writes them, which RFC 8785 prescribes. Anything else than that shape (a
 * member we do not know, a value of another type, a checkpoint) makes `stateRecordJson`
 * answer undefined, and the caller uses the generic `canonicalJson`. A property test checks
 * that both agree with the `canonicalize` package on random records.
 */

/** Set when a member is not of the fixed shape; read once per record. */
let unknownShape = false;
/** Offset of the hash's place: within the event's text while it is written, then in the record's. */
let hashAt = 0;

/** Own enumerable members whose value is not undefined (JSON.stringify skips the others). */
function members(o: object): number {
  let n = 0;
  for (const k in o) if ((o as Record<string, unknown>)[k] !== undefined) n++;
  return n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What JSON.stringify escapes in a string: C0 controls, `"`, `\\` and surrogates (lone ones). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the C0 controls are what it looks for
const ESCAPED = /[\u0000-\u001f\u0022\u005c\ud800-\udfff]/;

/** A string as JSON.stringify writes it; testing first is twice as fast on our short strings. */
function str(v: unknown): string {
  if (typeof v === 'string') return ESCAPED.test(v) ? JSON.stringify(v) : `"${v}"`;
  unknownShape = true;
  return '';
}

function num(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return JSON.stringify(v);
  unknownShape = true;
  return '';
}

/** `{"<key>":"…"}` of an object with one string member. */
function single(o: unknown, key: string): string {
  if (!isObject(o) || members(o) !== 1) {
    unknownShape = true;
    return '';
  }
  return `{"${key}":${str(o[key])}}`;
}

/** A one-string array (`event.category`, `event.type`). */
function oneString(v: unknown): string {
  if (!Array.isArray(v) || v.length !== 1) {
    unknownShape = true;
    return '';
  }
  return `[${str(v[0])}]`;
}

/**
 * The event without `hash`, and where `,"hash":"…"` goes in it: before `,"id":`, its place in
 * UTF-16 order. `hash` is left out whatever its value, as the chain hashes the record without it.
 */
function event(e: unknown): string {
  if (!isObject(e)) {
    unknownShape = true;
    return '';
  }
  let n = 8;
  let s = `{"action":${str(e.action)},"category":${oneString(e.category)},"dataset":${str(e.dataset)}`;
  if (e.duration !== undefined) {
    s += `,"duration":${num(e.duration)}`;
    n++;
  }
  if (e.hash !== undefined) n++;
  hashAt = s.length;
  s += `,"id":${str(e.id)},"kind":${str(e.kind)},"outcome":${str(e.outcome)},"provider":${str(e.provider)}`;
  if (e.reason !== undefined) {
    s += `,"reason":${str(e.reason)}`;
    n++;
  }
  if (e.sequence !== undefined) {
    s += `,"sequence":${num(e.sequence)}`;
    n++;
  }
  s += `,"type":${oneString(e.type)}}`;
  if (members(e) !== n) unknownShape = true;
  return s;
}

function featureFlag(f: unknown): string {
  if (!isObject(f)) {
    unknownShape = true;
    return '';
  }
  let n = 1;
  let s = '{';
  if (f.context !== undefined) {
    s += `"context":${single(f.context, 'id')},`;
    n++;
  }
  s += `"key":${str(f.key)}`;
  if (f.provider !== undefined) {
    s += `,"provider":${single(f.provider, 'name')}`;
    n++;
  }
  if (f.result !== undefined) {
    s += `,"result":${result(f.result)}`;
    n++;
  }
  if (f.set !== undefined) {
    s += `,"set":${single(f.set, 'id')}`;
    n++;
  }
  if (f.version !== undefined) {
    s += `,"version":${str(f.version)}`;
    n++;
  }
  if (members(f) !== n) unknownShape = true;
  return `${s}}`;
}

function result(r: unknown): string {
  if (!isObject(r)) {
    unknownShape = true;
    return '';
  }
  let n = 0;
  let s = '{';
  if (r.reason !== undefined) {
    s += `"reason":${str(r.reason)}`;
    n++;
  }
  if (r.variant !== undefined) {
    s += `${n === 0 ? '' : ','}"variant":${str(r.variant)}`;
    n++;
  }
  if (members(r) !== n) unknownShape = true;
  return `${s}}`;
}

function stateChange(c: unknown): string {
  if (!isObject(c)) {
    unknownShape = true;
    return '';
  }
  let n = 5;
  let s = '{';
  if (c.dwell_ms !== undefined) {
    s += `"dwell_ms":${num(c.dwell_ms)},`;
    n++;
  }
  if (c.entered_at !== undefined) {
    s += `"entered_at":${str(c.entered_at)},`;
    n++;
  }
  if (c.from !== undefined) {
    s += `"from":${str(c.from)},`;
    n++;
  }
  if (c.last_known !== undefined) {
    s += `"last_known":${str(c.last_known)},`;
    n++;
  }
  s += `"machine":${str(c.machine)},"machine_version":${num(c.machine_version)}`;
  if (c.pending !== undefined) {
    s += `,"pending":${str(c.pending)}`;
    n++;
  }
  if (c.previous_entered_at !== undefined) {
    s += `,"previous_entered_at":${str(c.previous_entered_at)}`;
    n++;
  }
  if (c.reason !== undefined) {
    s += `,"reason":${str(c.reason)}`;
    n++;
  }
  if (c.stale !== undefined) {
    if (c.stale !== true) unknownShape = true;
    s += ',"stale":true';
    n++;
  }
  s += `,"subject":${str(c.subject)},"subject_version":${num(c.subject_version)},"to":${str(c.to)}`;
  if (c.transition !== undefined) {
    s += `,"transition":${str(c.transition)}`;
    n++;
  }
  if (members(c) !== n) unknownShape = true;
  return `${s}}`;
}

/** `audit` as the log places it on a state record: `stream`, `prev_hash`, maybe `previous`. */
function audit(a: AuditFields | undefined): string {
  if (!isObject(a) || typeof a.prev_hash !== 'string') {
    unknownShape = true;
    return '';
  }
  let n = 2;
  let s = `{"prev_hash":${str(a.prev_hash)}`;
  const p = a.previous;
  if (p !== undefined) {
    if (!isObject(p) || members(p) !== 3) unknownShape = true;
    s += `,"previous":{"hash":${str(p.hash)},"sequence":${num(p.sequence)},"stream":${str(p.stream)}}`;
    n++;
  }
  if (members(a) !== n) unknownShape = true;
  return `${s},"stream":${str(a.stream)}}`;
}

/**
 * The canonical JSON of a chained record without `event.hash`, when it has a state record's
 * shape; undefined otherwise (the caller then uses `canonicalJson`). `hashOffset()` then tells
 * where `,"hash":"…"` goes into the text returned.
 */
export function stateRecordJson(r: AuditRecord): string | undefined {
  unknownShape = false;
  let n = 8;
  let s = `{"@timestamp":${str(r['@timestamp'])},"audit":${audit(r.audit)},"data_stream":{"dataset":${str(r.data_stream?.dataset)},"namespace":${str(r.data_stream?.namespace)},"type":${str(r.data_stream?.type)}},"ecs":${single(r.ecs, 'version')},"event":`;
  const eventAt = s.length;
  s += event(r.event);
  hashAt += eventAt;
  if (r.feature_flag !== undefined) {
    s += `,"feature_flag":${featureFlag(r.feature_flag)}`;
    n++;
  }
  if (r.labels !== undefined) {
    // Caller-chosen keys: the generic serializer sorts them.
    s += `,"labels":${isObject(r.labels) ? canonicalJson(r.labels) : str(undefined)}`;
    n++;
  }
  s += `,"log":${single(r.log, 'level')},"message":${str(r.message)},"service":${single(r.service, 'name')}`;
  if (r.span !== undefined) {
    s += `,"span":${single(r.span, 'id')}`;
    n++;
  }
  if (r.state_change !== undefined) {
    s += `,"state_change":${stateChange(r.state_change)}`;
    n++;
  }
  if (r.trace !== undefined) {
    s += `,"trace":${single(r.trace, 'id')}`;
    n++;
  }
  if (!isObject(r.data_stream) || members(r.data_stream) !== 3 || members(r) !== n) unknownShape = true;
  return unknownShape ? undefined : `${s}}`;
}

/** Where `,"hash":"…"` goes in the text `stateRecordJson` returned last: before `,"id":`. */
export function hashOffset(): number {
  return hashAt;
}
