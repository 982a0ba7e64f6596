import type { StateRecord, StateStore } from '@flagstate/core';
import { readSubject } from '@flagstate/core/internal';
import type { EvaluationContext } from '@openfeature/server-sdk';
import type { FlagDocument } from '../flag-document.js';
import { safeContext } from './safe-context.js';
import type { TrackingCounts } from './tracking-counts.js';

/**
 * Counts one tracking event under every machine of the document, at the state the store holds
 * for the context's subject (read as enforcement reads it). Never throws and never waits: an
 * asynchronous store's answer is counted when it comes, and its failure as `store_unavailable`.
 */
export function trackEvent(
  counts: TrackingCounts,
  doc: FlagDocument,
  store: StateStore,
  name: string,
  given: EvaluationContext | undefined,
  maxSubjectLength: number,
): void {
  const context = safeContext(given ?? {});
  for (const machine of doc.machines) {
    const id = machine.id;
    const subject = readSubject(context, machine, maxSubjectLength);
    if (subject === undefined) {
      counts.unattributed(id, 'subject_unusable');
      continue;
    }
    const counted = (record: StateRecord | undefined) => {
      if (record === undefined) counts.unattributed(id, 'subject_unknown');
      else counts.count(id, record.state, name);
    };
    try {
      const record = store.get(id, subject);
      if (record instanceof Promise) {
        record.then(counted, () => counts.unattributed(id, 'store_unavailable')).catch(ignore);
      } else counted(record);
    } catch {
      counts.unattributed(id, 'store_unavailable');
    }
  }
}

const ignore = () => undefined;
