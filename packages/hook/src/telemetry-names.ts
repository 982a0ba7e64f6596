/** Meter name of the hook's instruments, and the logger (instrumentation scope) name of its log records. */
export const METER_NAME = '@flagstate/hook';

/**
 * The event for every state record: a span event on the active span, and/or a log-based event
 * (the Logs API's `eventName`), as the hook's `events` option says. Our own namespace:
 * OpenTelemetry's semantic conventions own `feature_flag.*`.
 */
export const TRANSITION_EVENT = 'flagstate.state_transition';

/**
 * The span event's name.
 * @deprecated Use `TRANSITION_EVENT`, which names the log-based event too. Its value was
 * `feature_flag.state_transition` until OpenTelemetry's namespace was left.
 */
export const SPAN_EVENT = TRANSITION_EVENT;

/**
 * Attribute names: OpenTelemetry's `feature_flag.*` (semantic conventions, as OpenFeature's
 * Appendix D maps evaluations to them), and ours under `flagstate.`. Metrics and the transition
 * event use `key`, `machine`, `from`, `to`, `action` (and `result` for the audit counter); the
 * OpenTelemetry logs sink gives each audit record every one that applies.
 */
export const ATTR = {
  key: 'feature_flag.key',
  providerName: 'feature_flag.provider.name',
  variant: 'feature_flag.result.variant',
  reason: 'feature_flag.result.reason',
  contextId: 'feature_flag.context.id',
  setId: 'feature_flag.set.id',
  version: 'feature_flag.version',
  machine: 'flagstate.machine',
  machineVersion: 'flagstate.machine_version',
  subject: 'flagstate.subject',
  subjectVersion: 'flagstate.subject_version',
  from: 'flagstate.from',
  to: 'flagstate.to',
  /** The state a subject is in when something is counted for it (tracking events). */
  state: 'flagstate.state',
  /** A tracking event's name, as given to `track()`. */
  trackingEvent: 'flagstate.tracking.event',
  transition: 'flagstate.transition',
  action: 'flagstate.action',
  outcome: 'flagstate.outcome',
  /** Why an outcome is not a plain success (`not_allowed`, `min_dwell`…): `state_change.reason`. */
  changeReason: 'flagstate.reason',
  stream: 'flagstate.audit.stream',
  sequence: 'flagstate.audit.sequence',
  result: 'flagstate.result',
} as const;
