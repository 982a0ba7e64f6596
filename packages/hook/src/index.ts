export type { StateTransitionHookStats } from './state-transition-hook.js';
export { StateTransitionHook } from './state-transition-hook.js';

export type { StateTransitionHookOptions } from './state-transition-hook-options.js';
export { ATTR, METER_NAME, SPAN_EVENT } from './telemetry-names.js';
