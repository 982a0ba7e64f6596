import { v7 as uuidv7 } from 'uuid';
import { formatDuration } from '../duration.js';
import type { StateOutcome } from '../outcome.js';
import {
  ACTION_SHAPES,
  AUDIT_DATASET,
  AUDIT_PROVIDER,
  type AuditRecordDraft,
  ECS_VERSION,
  type StateChangeFields,
} from './audit-record.js';
import { createLabelPicker } from './labels.js';
import { createPseudonymizer, type PseudonymizeOptions } from './pseudonymize.js';

export interface AuditRecordFactoryOptions {
  /**
   * ECS `service.name`.
   * @default process.env.OTEL_SERVICE_NAME, else "unknown_service:node" (OpenTelemetry's default)
   */
  readonly service?: string;
  /**
   * `data_stream.namespace`: lower case, no `-`, at most 100 characters.
   * @default "default"
   */
  readonly namespace?: string;
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
  /** The evaluation reason, e.g. `TARGETING_MATCH`. */
  readonly reason?: string | undefined;
  readonly providerName?: string | undefined;
  /** The flag set or ruleset version reported by the provider. */
  readonly flagVersion?: string | undefined;
  readonly context?: Readonly<Record<string, unknown>> | undefined;
  readonly traceId?: string | undefined;
  readonly spanId?: string | undefined;
  /** Nanoseconds the evaluation took. */
  readonly durationNs?: number | undefined;
}

const NAMESPACE = /^[a-z0-9_.]{1,100}$/;

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** Turns engine outcomes into ECS-shaped audit records (without their place in a stream). */
export function createAuditRecordFactory(
  options: AuditRecordFactoryOptions = {},
): (outcome: StateOutcome, facts: EvaluationFacts) => AuditRecordDraft {
  const service = options.service ?? process.env.OTEL_SERVICE_NAME ?? 'unknown_service:node';
  const namespace = options.namespace ?? 'default';
  if (!NAMESPACE.test(namespace)) {
    throw new TypeError(
      `namespace "${namespace}" must be lower case letters, digits, "_" or "." (at most 100)`,
    );
  }
  const pickLabels = createLabelPicker(options.labels ?? []);
  const pseudonym = options.pseudonymize ? createPseudonymizer(options.pseudonymize) : (id: string) => id;

  return (o, facts) => {
    const shape = ACTION_SHAPES[o.action];
    const subject = pseudonym(o.subject);
    const stateChange: Record<keyof StateChangeFields, unknown> = {
      machine: o.machine.id,
      machine_version: o.machineVersion,
      subject,
      from: o.from,
      to: o.to,
      transition: o.transition,
      subject_version: o.subjectVersion,
      entered_at: iso(o.record?.enteredAt),
      previous_entered_at: iso(o.previousEnteredAt),
      dwell_ms: o.dwellMs === undefined ? undefined : Math.round(o.dwellMs),
      pending: o.pending,
      reason: o.reason,
    };
    const labels = pickLabels(facts.context);
    return withoutUndefined({
      '@timestamp': new Date(o.at).toISOString(),
      ecs: { version: ECS_VERSION },
      message: describe(o, subject),
      log: { level: shape.level },
      event: {
        kind: 'event',
        category: ['configuration'],
        type: [shape.type],
        action: o.action,
        outcome: shape.outcome,
        reason: facts.reason,
        id: uuidv7(),
        sequence: 0,
        duration: facts.durationNs === undefined ? undefined : Math.max(1, Math.round(facts.durationNs)),
        dataset: AUDIT_DATASET,
        provider: AUDIT_PROVIDER,
      },
      data_stream: { type: 'logs', dataset: AUDIT_DATASET, namespace },
      trace: facts.traceId ? { id: facts.traceId } : undefined,
      span: facts.spanId ? { id: facts.spanId } : undefined,
      service: { name: service },
      feature_flag: {
        key: facts.flagKey,
        provider: facts.providerName ? { name: facts.providerName } : undefined,
        result: { variant: facts.variant, reason: facts.reason },
        context: { id: subject },
        version: facts.flagVersion,
      },
      state_change: stateChange,
      labels,
    }) as AuditRecordDraft;
  };
}

/** The record's `message`: one line a person reads in a log viewer. */
function describe(o: StateOutcome, subject: string): string {
  const head = `${o.machine.id}: ${subject}`;
  const why = o.reason ? ` (${o.reason})` : '';
  switch (o.kind) {
    case 'init':
      return `${head} entered ${o.to}`;
    case 'transition':
      return `${head} ${o.from} -> ${o.to}${o.dwellMs === undefined ? '' : ` after ${formatDuration(o.dwellMs)}`}`;
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

/** Drops `undefined` members, so that optional fields are absent, never `null` or zero-filled. */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'object' && v !== null ? withoutUndefined(v) : v;
  }
  return out as T;
}
