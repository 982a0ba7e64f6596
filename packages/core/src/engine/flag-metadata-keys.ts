/**
 * `flagMetadata` keys by which the flagstate provider says what it decided, and the hook (or
 * any other reader) learns it: the machine, what targeting asked for, and why the subject was
 * held back from it (a `HeldReason`), when it was.
 */
export const METADATA = {
  machine: 'flagstate.machine',
  requested: 'flagstate.requested',
  held: 'flagstate.held',
} as const;
