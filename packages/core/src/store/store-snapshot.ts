import type { ReplayedState } from '@flagstate/audit';
import type { StateStore } from './state-store.js';

/**
 * Every record of a store in the shape `replayAudit` returns, ordered the same way, so that
 * the two compare with a deep equality. `subjectId` maps raw ids the way records show them
 * (for example the pseudonymizer).
 */
export async function storeSnapshot(
  store: StateStore,
  subjectId: (subject: string) => string = (s) => s,
): Promise<ReplayedState[]> {
  if (store.entries === undefined) throw new TypeError('this store cannot list its entries');
  const out: ReplayedState[] = [];
  for await (const { machine, subject, record } of store.entries()) {
    out.push({
      machine,
      subject: subjectId(subject),
      state: record.state,
      version: record.version,
      machineVersion: record.machineVersion,
      enteredAt: record.enteredAt,
      pending: record.pending,
      stale: record.stale === true,
      lastKnown: record.lastKnown,
    });
  }
  return out.sort((a, b) =>
    a.machine === b.machine ? compare(a.subject, b.subject) : compare(a.machine, b.machine),
  );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
