import { compareClaims } from '../replay-claim.js';
import type { ReplayConflict } from '../replay-report.js';
import type { SubjectReplay } from './subject-replay.js';

/**
 * A subject's gaps (versions missing below its highest) and conflicts (versions that two
 * different records claim: the winner by `compareClaims`, then the others), by version.
 */
export function conflictsOf(machine: string, subject: string, s: SubjectReplay): ReplayConflict[] {
  const out: ReplayConflict[] = s.gaps().map(([from, to]) => ({
    machine,
    subject,
    version: from,
    kind: 'gap' as const,
    message: `versions ${from}..${to} are missing`,
  }));
  for (const [version, byId] of s.claims ?? []) {
    if (byId.size < 2) continue;
    const [winner, ...losers] = [...byId.values()].sort((a, b) => compareClaims(b, a));
    const n = byId.size === 2 ? 'two' : String(byId.size);
    out.push({
      machine,
      subject,
      version,
      kind: 'conflict',
      message: `${n} different records claim version ${version}`,
      winner: winner!.id,
      losers: losers.map((l) => l.id),
    });
  }
  return out.sort((a, b) => a.version - b.version || (a.kind === 'conflict' ? -1 : 1));
}
