import type { Clock, StateRecord } from '@flagstate/core';
import { decideServed, type Served } from '@flagstate/core/internal';
import {
  ErrorCode,
  type FlagValue,
  type ResolutionDetails,
  StandardResolutionReasons,
} from '@openfeature/server-sdk';
import type { EnforcedEvaluation } from './enforced-evaluation.js';
import { enforcedMetadata } from './enforced-metadata.js';

/**
 * Enforce mode: decides what the subject stored in `record` is served (into the shared
 * `served`), and returns the resolution for it: targeting's, with the served state's variant
 * and value when the subject is held or stepped, and `flagstate.*` metadata saying so.
 */
export function enforce<T extends FlagValue>(
  served: Served,
  evaluation: EnforcedEvaluation<T>,
  record: StateRecord | undefined,
  clock: Clock,
): ResolutionDetails<T> {
  const { doc, machine, flagKey, defaultValue, result, target, subject, context } = evaluation;
  decideServed(served, machine, record, target, clock, doc, context);
  const flagMetadata = enforcedMetadata(result.flagMetadata, machine.id, target, served.held);
  // flagd-core made `result` for this evaluation alone: it is completed in place, and on a
  // steady evaluation nothing is built.
  result.flagMetadata = flagMetadata;
  if (served.held === undefined) return result;
  // A machine may bind flags that lack a variant for some of its states: a step this flag
  // cannot express becomes a hold where the subject is.
  const current = served.from;
  const variant =
    doc.served(flagKey, served.state) ?? (current === undefined ? undefined : doc.served(flagKey, current));
  if (variant !== undefined) {
    result.value = variant.value as T;
    result.variant = variant.variant;
    return result;
  }
  // Nothing this flag can serve is a state the subject may be in: serving targeting's answer
  // would be a move the machine forbids, so the caller gets its default, as on any error.
  const or = current !== undefined && current !== served.state ? ` or "${current}"` : '';
  return {
    value: defaultValue,
    reason: StandardResolutionReasons.ERROR,
    errorCode: ErrorCode.GENERAL,
    errorMessage: `flag "${flagKey}" has no variant for state "${served.state}"${or} of machine "${machine.id}", where the provider holds subject "${subject}"`,
    flagMetadata,
  };
}
