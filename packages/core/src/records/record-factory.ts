import {
  AUDIT_DATASET,
  AUDIT_PROVIDER,
  type AuditEvent,
  type AuditRecordDraft,
  ECS_VERSION,
  type FeatureFlagFields,
  type StateChangeFields,
} from '@flagstate/audit';
import { ACTION_SHAPES, wellFormed } from '@flagstate/audit/internal';
import { v7 as uuidv7 } from 'uuid';
import type { StateOutcome } from '../engine/outcome.js';
import { formatDuration } from '../machine/duration.js';
import { isoTime } from './internal/iso-time.js';
import { createLabelPicker } from './internal/labels.js';
import { createPseudonymizer, type PseudonymizeOptions } from './pseudonymize.js';

/** Options of the record factory; `service` and `namespace` belong to the audit log. */
export interface AuditRecordFactoryOptions {
  /**
   * Context attributes copied into `labels` (string values, at most 32 labels, 1 KiB each).
   * Paths such as `user.region` become label keys with `_` for `.`.
   * @default [] (no labels)
   */
  readonly labels?: readonly string[];
  /**
   * Replace subject ids by an HMAC-SHA-256 under this key in every record.
   * @default undefined (raw ids)
   */
  readonly pseudonymize?: PseudonymizeOptions;
}

/** What an evaluation adds to an engine outcome to make an audit record. */
export interface EvaluationFacts {
  readonly flagKey: string;
  readonly variant?: string | undefined;
  /**
   * The evaluation reason, e.g. OpenFeature's `TARGETING_MATCH`; records carry it in lower case
   * (`targeting_match`), as OpenTelemetry's `feature_flag.result.reason` values are.
   */
  readonly reason?: string | undefined;
  readonly providerName?: string | undefined;
  /**
   * Flag metadata `contextId`: what identifies the evaluation's subject to the provider. Per
   * OpenFeature's Appendix D, `feature_flag.context.id` is this, else the context's
   * `targetingKey`, else absent. Pseudonymised like the subject.
   */
  readonly contextId?: string | undefined;
  /** `feature_flag.set.id`: the flag set, flag metadata `flagSetId`. */
  readonly flagSetId?: string | undefined;
  /** `feature_flag.version`: the flag's or its flag set's version, flag metadata `version`. */
  readonly flagVersion?: string | undefined;
  readonly context?: Readonly<Record<string, unknown>> | undefined;
  readonly traceId?: string | undefined;
  readonly spanId?: string | undefined;
  /** Nanoseconds the evaluation took. */
  readonly durationNs?: number | undefined;
}

/**
 * Turns engine outcomes into ECS-shaped audit records, without what the audit log adds: their
 * place in the stream, `service` and `data_stream`.
 */
export function createAuditRecordFactory(
  options: AuditRecordFactoryOptions = {},
): (outcome: StateOutcome, facts: EvaluationFacts) => AuditRecordDraft {
  const pickLabels = createLabelPicker(options.labels ?? []);
  const pseudonym = options.pseudonymize ? createPseudonymizer(options.pseudonymize) : (id: string) => id;

  return (o, facts) => {
    const shape = ACTION_SHAPES[o.action];
    // Strings from outside (subjects, variants, keys) may hold lone surrogates, which canonical
    // JSON cannot carry; they are replaced, so every record can be hashed and verified anywhere.
    const subject = wellFormed(pseudonym(o.subject));
    const reason = facts.reason === undefined ? undefined : wellFormed(facts.reason.toLowerCase());
    // Built member by member: optional fields are absent, never null or zero-filled.
    const event: AuditEvent = {
      kind: 'event',
      category: ['configuration'],
      type: [shape.type],
      action: o.action,
      outcome: shape.outcome,
      id: uuidv7(),
      sequence: 0,
      dataset: AUDIT_DATASET,
      provider: AUDIT_PROVIDER,
    };
    if (reason !== undefined) event.reason = reason;
    if (facts.durationNs !== undefined) event.duration = Math.max(1, Math.round(facts.durationNs));

    const flag: FeatureFlagFields = { key: wellFormed(facts.flagKey) };
    if (facts.providerName) flag.provider = { name: wellFormed(facts.providerName) };
    if (facts.variant !== undefined || reason !== undefined) {
      flag.result = {};
      if (facts.variant !== undefined) flag.result.variant = wellFormed(facts.variant);
      if (reason !== undefined) flag.result.reason = reason;
    }
    const contextId = facts.contextId ?? targetingKeyOf(facts.context);
    if (contextId !== undefined) flag.context = { id: wellFormed(pseudonym(contextId)) };
    if (facts.flagSetId !== undefined) flag.set = { id: wellFormed(facts.flagSetId) };
    if (facts.flagVersion !== undefined) flag.version = wellFormed(facts.flagVersion);

    const change: StateChangeFields = {
      machine: o.machine.id,
      machine_version: o.machineVersion,
      subject,
      to: wellFormed(o.to),
      subject_version: o.subjectVersion,
    };
    if (o.from !== undefined) change.from = wellFormed(o.from);
    if (o.transition !== undefined) change.transition = o.transition;
    if (o.record !== undefined) change.entered_at = isoTime(o.record.enteredAt);
    if (o.previousEnteredAt !== undefined) change.previous_entered_at = isoTime(o.previousEnteredAt);
    if (o.dwellMs !== undefined) change.dwell_ms = Math.round(o.dwellMs);
    if (o.pending !== undefined) change.pending = wellFormed(o.pending);
    if (o.reason !== undefined) change.reason = o.reason;
    if (o.record?.stale === true) change.stale = true;
    if (o.record?.lastKnown !== undefined) change.last_known = wellFormed(o.record.lastKnown);

    const record: AuditRecordDraft = {
      '@timestamp': isoTime(o.at),
      ecs: { version: ECS_VERSION },
      message: wellFormed(describe(o, subject)),
      log: { level: shape.level },
      event,
      feature_flag: flag,
      state_change: change,
    };
    if (facts.traceId) record.trace = { id: facts.traceId };
    if (facts.spanId) record.span = { id: facts.spanId };
    const labels = pickLabels(facts.context);
    if (labels !== undefined) record.labels = labels;
    return record;
  };
}

/** The context's own `targetingKey`, when it is a non-empty string. */
function targetingKeyOf(context: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (context === undefined || !Object.hasOwn(context, 'targetingKey')) return undefined;
  const key = context.targetingKey;
  return typeof key === 'string' && key !== '' ? key : undefined;
}

/** The record's `message`: one line a person reads in a log viewer. */
function describe(o: StateOutcome, subject: string): string {
  const head = `${o.machine.id}: ${subject}`;
  const judged = o.judgedFrom === undefined ? '' : `judged from ${o.judgedFrom}`;
  const why = o.reason ? ` (${o.reason}${judged && `, ${judged}`})` : judged && ` (${judged})`;
  switch (o.kind) {
    case 'init':
      return `${head} entered ${o.to}`;
    case 'transition':
      return `${head} ${o.from} -> ${o.to}${o.dwellMs === undefined ? '' : ` after ${formatDuration(o.dwellMs)}`}${why}`;
    case 'illegal':
      return `${head} ${o.from ?? '(new)'} -> ${o.to} is not allowed${why}`;
    case 'held':
      return `${head} held in ${o.to}, wants ${o.pending}${why}`;
    case 'migration':
      return `${head} migrated ${o.from} -> ${o.to} (machine version ${o.machineVersion})`;
    case 'stale':
      return `${head} stale in ${o.to}${why}`;
    case 'race':
      return `${head} lost a race writing ${o.from ?? '(new)'} -> ${o.to}${why}`;
  }
}
