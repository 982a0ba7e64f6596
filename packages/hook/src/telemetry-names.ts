/** Meter name of the hook's instruments. */
export const METER_NAME = '@flagstate/hook';

/** Span event added to the active span for every state record. */
export const SPAN_EVENT = 'feature_flag.state_transition';

/** Metric and span event attributes: OpenTelemetry's `feature_flag.key`, and ours under `flagstate.`. */
export const ATTR = {
  key: 'feature_flag.key',
  machine: 'flagstate.machine',
  from: 'flagstate.from',
  to: 'flagstate.to',
  action: 'flagstate.action',
  result: 'flagstate.result',
} as const;
