/**
 * Why the provider served something other than what targeting asked for, as `flagstate.held`
 * in `flagMetadata`: a bake time, a closed guard, no declared move, no way there at all; or
 * enforcement could not decide, for want of a store or of a usable subject (then the
 * `whenUndecided` policy chose what was served). Shared by the provider, which holds, and the
 * hook, which records the hold.
 */
export type HeldReason =
  | 'min_dwell'
  | 'guard'
  | 'illegal'
  | 'unreachable'
  | 'store_unavailable'
  | 'subject_unusable';
