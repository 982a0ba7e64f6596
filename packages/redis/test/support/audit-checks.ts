// Checks over audit records from many streams: version runs per subject, and races.
import type { AuditRecord } from '@flagstate/audit';

const isWrite = (r: AuditRecord) => r.state_change !== undefined && r.event.action !== 'state-race';
const subjectKey = (r: AuditRecord) => `${r.state_change!.machine}\u0000${r.state_change!.subject}`;

/** Each subject's write records from every stream, ordered by `subject_version`. */
export function writesBySubject(records: Iterable<AuditRecord>): Map<string, AuditRecord[]> {
  const out = new Map<string, AuditRecord[]>();
  for (const r of records) {
    if (!isWrite(r)) continue;
    const list = out.get(subjectKey(r)) ?? [];
    list.push(r);
    out.set(subjectKey(r), list);
  }
  for (const list of out.values()) {
    list.sort((a, b) => a.state_change!.subject_version - b.state_change!.subject_version);
  }
  return out;
}

/**
 * Problems with the chain of custody of each subject: versions must run 1..n with no gap and
 * no duplicate, and each write must start where the previous one left the subject (`from` is
 * the previous `to`, `previous_entered_at` its `entered_at`).
 */
export function versionProblems(bySubject: ReadonlyMap<string, readonly AuditRecord[]>): string[] {
  const problems: string[] = [];
  for (const [key, list] of bySubject) {
    const name = key.replace('\u0000', ' ');
    list.forEach((r, i) => {
      const sc = r.state_change!;
      if (sc.subject_version !== i + 1) problems.push(`${name}: version ${sc.subject_version} at ${i + 1}`);
      const previous = list[i - 1]?.state_change;
      if (previous !== undefined && sc.from !== previous.to) {
        problems.push(
          `${name} v${sc.subject_version}: from ${sc.from}, but v${previous.subject_version} went to ${previous.to}`,
        );
      }
      if (previous !== undefined && sc.previous_entered_at !== undefined) {
        const entered = previous.entered_at;
        if (entered !== undefined && sc.previous_entered_at !== entered) {
          problems.push(
            `${name} v${sc.subject_version}: previous_entered_at is not v${previous.subject_version}'s entered_at`,
          );
        }
      }
    });
  }
  return problems;
}

/**
 * Problems with how each race was resolved. A race record's `subject_version` is the version
 * the loser found when it re-read (the winner's); the records of one evaluation share the
 * `labels.evaluation` label. After the race, the loser's next record of that evaluation
 * must be the write that follows the winner's (version + 1, from the winner's state), or a
 * further race with a later winner; if the evaluation wrote nothing more, the winner had
 * already put the subject in the state the loser served. `rewrites` counts the races whose
 * loser, having decided again from the winner's record, then wrote.
 */
export function raceProblems(
  streams: ReadonlyArray<readonly AuditRecord[]>,
  bySubject: ReadonlyMap<string, readonly AuditRecord[]>,
): { races: number; rewrites: number; problems: string[] } {
  let races = 0;
  let rewrites = 0;
  const problems: string[] = [];
  for (const records of streams) {
    records.forEach((race, i) => {
      if (race.event.action !== 'state-race') return;
      races++;
      const sc = race.state_change!;
      const evaluation = race.labels?.evaluation;
      const name = `${sc.subject} (evaluation ${evaluation})`;
      const winner = bySubject.get(subjectKey(race))?.[sc.subject_version - 1];
      if (evaluation === undefined || winner === undefined) {
        problems.push(`${name}: no write record for the winner's version ${sc.subject_version}`);
        return;
      }
      if (winner.labels?.evaluation === evaluation) problems.push(`${name}: lost a race to itself`);
      const next = records.slice(i + 1).find((r) => r.labels?.evaluation === evaluation);
      const nc = next?.state_change;
      if (next === undefined || nc === undefined) {
        if (sc.reason !== 'retries_exhausted' && winner.state_change!.to !== sc.to) {
          problems.push(
            `${name}: wrote nothing after the race, yet the winner left it in ${winner.state_change!.to}, not ${sc.to}`,
          );
        }
      } else if (next.event.action === 'state-race') {
        if (!(nc.subject_version > sc.subject_version))
          problems.push(`${name}: a second race with no later winner`);
      } else if (nc.subject_version !== sc.subject_version + 1 || nc.from !== winner.state_change!.to) {
        problems.push(
          `${name}: after losing to v${sc.subject_version} (${winner.state_change!.to}) it wrote v${nc.subject_version} from ${nc.from}`,
        );
      } else {
        rewrites++;
      }
    });
  }
  return { races, rewrites, problems };
}
