import type { Machine } from '@flagstate/core';
import type { EvaluationContext, FlagValue, ResolutionDetails } from '@openfeature/server-sdk';
import type { FlagDocument } from '../flag-document.js';

/** One evaluation of a flag bound to an enforcing machine, as far as targeting took it. */
export interface EnforcedEvaluation<T extends FlagValue = FlagValue> {
  doc: FlagDocument;
  machine: Machine;
  flagKey: string;
  defaultValue: T;
  /** Targeting's resolution. */
  result: ResolutionDetails<T>;
  /** The state targeting asked for. */
  target: string;
  /** `undefined` when the context has no usable subject. */
  subject: string | undefined;
  /** The context targeting and guards read. */
  context: EvaluationContext;
}
