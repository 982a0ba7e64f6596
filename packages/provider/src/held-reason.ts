/**
 * Why the provider served something other than what targeting asked for, as `flagstate.held`
 * in `flagMetadata`: a bake time, a closed guard, no declared move, no way there at all, or
 * no store to ask (then targeting's answer is served, marked).
 */
export type HeldReason = 'min_dwell' | 'guard' | 'illegal' | 'unreachable' | 'store_unavailable';
