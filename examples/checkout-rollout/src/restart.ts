import type { ReplayedState } from '@flagstate/audit';
import { storeSnapshot } from '@flagstate/core';
import type { StateMachineProvider } from '@flagstate/provider';
import { OpenFeature } from '@openfeature/server-sdk';
import type { CheckoutService } from './service.js';

/** What the mid-rollout restart showed: held subjects stay held, every record survives. */
export interface RestartReport {
  readonly atSeconds: number;
  readonly subjectsBefore: number;
  readonly subjectsAfter: number;
  /** Subjects held back (a pending target) when the provider stopped. */
  readonly heldBefore: number;
  /** Of those, the ones the new provider knows with the same state, version, entry time and target. */
  readonly heldAfter: number;
  /** Any subject whose record differs after the restart. */
  readonly mismatches: readonly string[];
  readonly rebuildMs: number;
  readonly replayedLines: number;
}

/**
 * Restarts the service's provider as a deploy would: requests wait, the provider closes (its
 * audit log and a snapshot), and a new one on the same durable directory rebuilds the store
 * from the files. Compares every subject's record across the restart.
 */
export async function restartProvider(
  service: CheckoutService,
  current: StateMachineProvider,
  create: () => StateMachineProvider,
  startedAt: number,
): Promise<{ provider: StateMachineProvider; report: RestartReport }> {
  let report: RestartReport | undefined;
  let next: StateMachineProvider | undefined;
  const atSeconds = (performance.now() - startedAt) / 1000;
  await service.restartProvider(async () => {
    const before = await storeSnapshot(current.store);
    await current.onClose();
    next = create();
    await OpenFeature.setProviderAndWait(next);
    const after = new Map((await storeSnapshot(next.store)).map((s) => [key(s), s]));
    const held = before.filter((s) => s.pending !== undefined);
    const mismatches = before
      .filter((s) => JSON.stringify(after.get(key(s))) !== JSON.stringify(s))
      .map((s) => `${s.subject}: ${JSON.stringify(s)} became ${JSON.stringify(after.get(key(s)))}`);
    report = {
      atSeconds,
      subjectsBefore: before.length,
      subjectsAfter: after.size,
      heldBefore: held.length,
      heldAfter: held.filter((s) => JSON.stringify(after.get(key(s))) === JSON.stringify(s)).length,
      mismatches,
      rebuildMs: next.recovery?.ms ?? 0,
      replayedLines: next.recovery?.replayedLines ?? 0,
    };
    return next;
  });
  return { provider: next!, report: report! };
}

const key = (s: ReplayedState) => `${s.machine}\u0000${s.subject}`;
