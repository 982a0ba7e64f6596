export { LogsApiMissingError } from './logs-api-missing-error.js';
export type { OtelLogSinkOptions } from './otel-log-sink.js';
export { otelLogSink } from './otel-log-sink.js';
export type { StateTransitionHookStats } from './state-transition-hook.js';
export { StateTransitionHook } from './state-transition-hook.js';
export type { StateTransitionHookOptions } from './state-transition-hook-options.js';
export { ATTR, METER_NAME, SPAN_EVENT, TRANSITION_EVENT } from './telemetry-names.js';
