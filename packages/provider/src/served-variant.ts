import type { FlagValue } from '@openfeature/server-sdk';

/** The variant (and its value) that serves a state of a machine-bound flag. */
export interface ServedVariant {
  readonly variant: string;
  readonly value: FlagValue;
}
