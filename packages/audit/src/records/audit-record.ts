/** The ECS version the records follow. */
export const ECS_VERSION = '9.4.0';
export const AUDIT_DATASET = 'flagstate.audit';
export const AUDIT_PROVIDER = 'flagstate';
/** `audit.prev_hash` of a stream's first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** `audit.stream`: a UUID (the log makes a v7) or a ULID. */
export const STREAM_ID_PATTERN =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-7][0-9A-HJKMNP-TV-Z]{25})$/;

/**
 * Elastic's data_stream naming rules for `dataset` and `namespace`: lower case, none of
 * `\/*?"<>| ,#-`, not starting with `_`, not `.` or `..`, at most 100 bytes.
 */
export const DATA_STREAM_PART_PATTERN = /^(?!_)(?!\.{1,2}$)[a-z0-9_.]{1,100}$/;

/** `event.action` of the record of each state outcome (the engine's `OUTCOME_ACTIONS`). */
export type StateAction =
  | 'state-init'
  | 'state-transition'
  | 'state-transition-illegal'
  | 'state-transition-held'
  | 'state-migration'
  | 'state-stale'
  | 'state-race';

export type AuditAction = StateAction | 'audit-checkpoint' | 'audit-gap' | 'enforcement-suspended';
export type EventOutcome = 'success' | 'failure' | 'unknown';
export type EventType = 'creation' | 'change' | 'denied' | 'info';
export type LogLevel = 'info' | 'warn';

/** ECS `event.outcome`, `event.type` and `log.level` of each action, as DESIGN.md's table gives them. */
export const ACTION_SHAPES: Readonly<
  Record<AuditAction, { readonly outcome: EventOutcome; readonly type: EventType; readonly level: LogLevel }>
> = Object.freeze({
  'state-init': { outcome: 'success', type: 'creation', level: 'info' },
  'state-transition': { outcome: 'success', type: 'change', level: 'info' },
  'state-transition-illegal': { outcome: 'failure', type: 'change', level: 'warn' },
  'state-transition-held': { outcome: 'success', type: 'denied', level: 'info' },
  'state-migration': { outcome: 'success', type: 'change', level: 'info' },
  'state-stale': { outcome: 'unknown', type: 'info', level: 'warn' },
  'state-race': { outcome: 'failure', type: 'change', level: 'warn' },
  'audit-checkpoint': { outcome: 'success', type: 'info', level: 'info' },
  'audit-gap': { outcome: 'unknown', type: 'info', level: 'warn' },
  'enforcement-suspended': { outcome: 'failure', type: 'info', level: 'warn' },
});

export interface AuditEvent {
  kind: 'event';
  category: ['configuration'];
  type: [EventType];
  action: AuditAction;
  outcome: EventOutcome;
  /** The flag evaluation's reason in lower case, e.g. `targeting_match`. */
  reason?: string;
  id: string;
  /** Per stream, 1, 2, 3… with no gap; absent on gap records, which are not in the stream. */
  sequence?: number;
  /** Nanoseconds from the hook's `before` to its `finally`. */
  duration?: number;
  dataset: string;
  provider: string;
  /** Hex SHA-256 of the chain; absent when the chain is off. */
  hash?: string;
}

/**
 * OpenTelemetry's feature-flag attributes, as OpenFeature's Appendix D maps an evaluation to
 * them: the record carries the same names, nested.
 */
export interface FeatureFlagFields {
  key: string;
  provider?: { name: string };
  result?: { variant?: string; reason?: string };
  /**
   * `feature_flag.context.id`: flag metadata `contextId`, else the evaluation's targeting key;
   * absent when there is neither. Pseudonymised with the subject when that option is on.
   */
  context?: { id: string };
  /** `feature_flag.set.id`: flag metadata `flagSetId`. */
  set?: { id: string };
  /** `feature_flag.version`: flag metadata `version`, the flag's or its flag set's. */
  version?: string;
}

export interface StateChangeFields {
  machine: string;
  machine_version: number;
  subject: string;
  from?: string;
  to: string;
  transition?: string;
  subject_version: number;
  /** When the subject entered `to` (ISO 8601); absent on race records. */
  entered_at?: string;
  previous_entered_at?: string;
  dwell_ms?: number;
  pending?: string;
  /** Why an outcome is not a plain success: `not_allowed`, `min_dwell`, `max_dwell`, … */
  reason?: string;
  /**
   * Present (true) when the record written has the stale flag: this stay was reported stale
   * (unknown state, newer machine version, `maxDwell`). With it, a record carries every field
   * of the store record it wrote, so that replay rebuilds a store exactly.
   */
  stale?: true;
  /**
   * Present when `to` is not a state of the machine: the last state of the machine the subject
   * was in, which its next move into a state is judged from (the store record's `lastKnown`).
   */
  last_known?: string;
}

export interface CheckpointFields {
  /** Records in the stream before this checkpoint. */
  count: number;
  /** `event.hash` of the record before this checkpoint. */
  head: string;
  /** Written by `close()` (or at exit): nothing follows in this stream. */
  final: boolean;
  /** Base64 Ed25519 signature of the checkpoint payload, when a signing key is configured. */
  signature?: string;
  /** First 16 hex digits of the SHA-256 of the public key (SPKI DER). */
  key_id?: string;
  /**
   * Present on the checkpoint that a later process appends to a stream that ended in a crash:
   * it closes the stream at its last good record (`count`, `head`).
   */
  sealed?: SealFields;
}

/** How a stream that ended without its closing checkpoint was sealed by the next process. */
export interface SealFields {
  /** The stream of the process that sealed it (which names this one in `audit.previous`). */
  by: string;
  /** Bytes of a torn last line cut away from the end of the file before sealing (0: none). */
  torn_bytes: number;
  /** The file the stream's last good record was read from. */
  file?: string;
}

/** On a stream's first record: the stream it continues, and that stream's last record. */
export interface PreviousStreamFields {
  stream: string;
  /** `event.sequence` of the previous stream's last record (its closing or sealing checkpoint). */
  sequence: number;
  /** `event.hash` of that record. */
  hash: string;
}

export interface GapFields {
  /** First and last `event.sequence` this subscriber missed, and how many. */
  from_sequence: number;
  to_sequence: number;
  missed: number;
}

export interface AuditFields {
  /** The stream: one per audit log instance, a UUID v7 unless the log was given a ULID. */
  stream: string;
  prev_hash?: string;
  /** On record 1 of a stream that continues an earlier one (a restart): where that one ended. */
  previous?: PreviousStreamFields;
  checkpoint?: CheckpointFields;
  gap?: GapFields;
  suspension?: SuspensionFields;
}

/**
 * Evaluations of one machine that enforcement could not decide in one window, and what the
 * provider served them instead: the audit stream's evidence of every bypass.
 */
export interface SuspensionFields {
  machine: string;
  /** `store_unavailable` (the store failed or timed out) or `subject_unusable` (no usable subject). */
  reason: string;
  /** The policy that chose what was served: `hold`, `default` or `targeting`. */
  policy: string;
  /** Evaluations in the window. */
  evaluations: number;
  /** What they were served: a state's name, or `(default)` for the caller's default value. */
  served: Record<string, number>;
  /** The window, ISO 8601: the first and the last such evaluation. */
  from: string;
  to: string;
  /** The last error, for `store_unavailable`. */
  error?: string;
}

/** One audit record: one NDJSON line. */
export interface AuditRecord {
  '@timestamp': string;
  ecs: { version: string };
  message: string;
  log: { level: LogLevel };
  event: AuditEvent;
  data_stream: { type: 'logs'; dataset: string; namespace: string };
  trace?: { id: string };
  span?: { id: string };
  service: { name: string };
  feature_flag?: FeatureFlagFields;
  state_change?: StateChangeFields;
  labels?: Record<string, string>;
  audit: AuditFields;
}

/**
 * A record before the audit log gives it its place in the stream, and its `service` and
 * `data_stream`: the log owns those, so that every record of a stream lands in one data stream.
 */
export type AuditRecordDraft = Omit<AuditRecord, 'audit' | 'service' | 'data_stream'> & {
  audit?: Partial<AuditFields>;
  service?: AuditRecord['service'];
  data_stream?: AuditRecord['data_stream'];
};
