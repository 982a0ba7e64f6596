import { METADATA } from '@flagstate/core';
import {
  ErrorCode,
  type FlagValue,
  type ResolutionDetails,
  StandardResolutionReasons,
} from '@openfeature/server-sdk';
import type { UndecidedPolicy } from '../undecided-policy.js';
import type { EnforcedEvaluation } from './enforced-evaluation.js';
import type { UndecidedReason } from './suspensions.js';

/** What an undecided evaluation is served, and its name in the suspension record. */
export interface UndecidedResolution<T extends FlagValue> {
  readonly resolution: ResolutionDetails<T>;
  /** The state served, or `(default)` for the caller's default value. */
  readonly served: string;
}

/**
 * Enforcement cannot decide (no store, no usable subject): never serve a move the machine
 * might forbid unless the policy says so. `hold` serves the state this provider last served
 * the subject, `known`, which is no move at all; otherwise the caller gets its default, as on
 * any error. Metadata says why either way, so that the hook records no observation.
 */
export function undecided<T extends FlagValue>(
  policy: UndecidedPolicy,
  reason: UndecidedReason,
  evaluation: EnforcedEvaluation<T>,
  known: string | undefined,
): UndecidedResolution<T> {
  const { doc, machine, flagKey, defaultValue, result, target } = evaluation;
  const flagMetadata = {
    ...result.flagMetadata,
    [METADATA.machine]: machine.id,
    [METADATA.requested]: target,
    [METADATA.held]: reason,
  };
  if (policy === 'targeting') return { resolution: { ...result, flagMetadata }, served: target };
  const variant = policy === 'hold' && known !== undefined ? doc.served(flagKey, known) : undefined;
  if (variant !== undefined) {
    return {
      resolution: { ...result, value: variant.value as T, variant: variant.variant, flagMetadata },
      served: known!,
    };
  }
  const why =
    reason === 'store_unavailable'
      ? `the state store is unavailable, so machine "${machine.id}" cannot be enforced`
      : `the evaluation has no usable subject at "${machine.subject}" for machine "${machine.id}"`;
  return {
    resolution: {
      value: defaultValue,
      reason: StandardResolutionReasons.ERROR,
      errorCode: reason === 'store_unavailable' ? ErrorCode.GENERAL : ErrorCode.TARGETING_KEY_MISSING,
      errorMessage: `${why}: the caller's default is served (whenUndecided: "${policy}")`,
      flagMetadata,
    },
    served: '(default)',
  };
}
