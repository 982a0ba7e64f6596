import type { PreviousStreamFields } from '../../records/audit-record.js';
import { type Place, type PlacedProblem, problemAt, Rank } from './chain-problems.js';

/** How a stream begins and ends: what linking it to the streams before and after it needs. */
export interface StreamEnd {
  readonly stream: string;
  /** Record 1's `audit.previous`: the stream it continues. */
  readonly previous: PreviousStreamFields | undefined;
  readonly startAt: Place | undefined;
  readonly startTime: string | undefined;
  readonly lastSequence: number;
  readonly lastHash: string;
  readonly lastAt: Place;
  readonly closed: boolean;
  readonly sealedBy: string | undefined;
  readonly coveredTo: number;
}

export interface Linked {
  /** Stream ids per lineage, oldest first; a fork lists both branches after their fork point. */
  readonly lineages: string[][];
  readonly problems: PlacedProblem[];
}

/**
 * Links streams by record 1's `audit.previous` into lineages (one per writer, across its
 * process lifetimes) and finds what breaks one: a predecessor missing from the input, a
 * predecessor that ends elsewhere than its successor says, two successors of one stream, and
 * an unclosed stream that is not the newest of its lineage. `requireClosed` applies to the
 * newest. `requireStart: false` excuses a missing predecessor where retention could have
 * deleted it: retention deletes whole files, oldest first, and a restart writes its record 1
 * in the file its predecessor ended in, so a predecessor gone entirely leaves its successor's
 * record 1 at the start of a file. Not when a present stream was sealed by the missing one:
 * that puts the missing one after a present stream, not before all of them.
 */
export function linkStreams(
  ends: readonly StreamEnd[],
  requireStart: boolean,
  requireClosed: boolean,
): Linked {
  const byId = new Map(ends.map((e) => [e.stream, e]));
  const next = new Map<string, StreamEnd[]>();
  const problems: PlacedProblem[] = [];
  const sealers = new Set(ends.map((e) => e.sealedBy));
  for (const s of ends) {
    const p = s.previous;
    if (p === undefined || s.startAt === undefined) continue;
    const at = s.startAt;
    const pred = byId.get(p.stream);
    if (p.stream === s.stream) {
      problems.push(
        problemAt(
          'chain_broken',
          `record 1 of stream ${s.stream} names its own stream as the one it continues`,
          s.stream,
          1,
          at,
          Rank.stream,
        ),
      );
    } else if (pred === undefined) {
      const pruned = !requireStart && at.line === 1 && !sealers.has(p.stream);
      if (!pruned) {
        const message = `stream ${s.stream} continues stream ${p.stream} (from its record ${p.sequence}), which is not in the input: a whole run was deleted`;
        problems.push(problemAt('missing_stream', message, s.stream, 1, at, Rank.stream));
      }
    } else {
      next.set(p.stream, [...(next.get(p.stream) ?? []), s]);
      if (pred.lastSequence === p.sequence && pred.lastHash !== p.hash) {
        const message = `stream ${s.stream}'s record 1 continues record ${p.sequence} of stream ${p.stream} with hash ${p.hash.slice(0, 12)}…, but that record's hash is ${pred.lastHash.slice(0, 12)}…: it continues another chain`;
        problems.push(problemAt('chain_broken', message, s.stream, 1, at, Rank.stream));
      } else if (pred.lastSequence > p.sequence) {
        const message = `stream ${p.stream} goes on to record ${pred.lastSequence} after record ${p.sequence}, where stream ${s.stream} (${where(at)}) continues it: records were added after that stream started`;
        problems.push(
          problemAt('chain_broken', message, p.stream, pred.lastSequence, pred.lastAt, Rank.stream),
        );
      } else if (pred.lastSequence < p.sequence) {
        const message = `stream ${p.stream} ends at record ${pred.lastSequence}, but stream ${s.stream} (${where(at)}) continues it from record ${p.sequence}: its tail was cut`;
        problems.push(problemAt('truncated', message, p.stream, pred.lastSequence, pred.lastAt, Rank.stream));
      }
    }
  }
  for (const [stream, successors] of next) {
    successors.sort(byStart);
    for (const later of successors.slice(1)) {
      const message = `streams ${successors[0]!.stream} and ${later.stream} both continue stream ${stream}: one of them is from another chain`;
      problems.push(problemAt('forked', message, later.stream, 1, later.startAt!, Rank.stream));
    }
  }
  for (const e of ends) {
    const successor = next.get(e.stream)?.[0];
    if (e.closed || (successor === undefined && !requireClosed)) continue;
    const tail = `without its closing checkpoint (checkpoints cover 1..${e.coveredTo})`;
    const message =
      successor === undefined
        ? `stream ends at record ${e.lastSequence} ${tail}: its tail may have been cut`
        : `stream ends at record ${e.lastSequence} ${tail}, though stream ${successor.stream} continues it: its tail was cut`;
    problems.push(problemAt('truncated', message, e.stream, e.lastSequence, e.lastAt, Rank.stream));
  }
  return { lineages: lineagesOf(ends, byId, next, problems), problems };
}

/** Each lineage from its oldest stream, successors in the order they started. */
function lineagesOf(
  ends: readonly StreamEnd[],
  byId: ReadonlyMap<string, StreamEnd>,
  next: ReadonlyMap<string, StreamEnd[]>,
  problems: PlacedProblem[],
): string[][] {
  const seen = new Set<string>();
  const walk = (root: StreamEnd): string[] => {
    const lineage: string[] = [];
    for (let queue = [root]; queue.length > 0; ) {
      const s = queue.shift()!;
      if (seen.has(s.stream)) continue;
      seen.add(s.stream);
      lineage.push(s.stream);
      queue.push(...(next.get(s.stream) ?? []));
    }
    return lineage;
  };
  const isRoot = (e: StreamEnd) =>
    e.previous === undefined || e.previous.stream === e.stream || !byId.has(e.previous.stream);
  // Oldest lineage first, so that the report does not depend on the order of the input.
  const lineages = ends.filter(isRoot).sort(byStart).map(walk);
  // Streams that name each other in a circle have no oldest one.
  for (const e of ends.filter((x) => !seen.has(x.stream))) {
    const message = `stream ${e.stream} is in a circle of streams that each continue another`;
    problems.push(problemAt('chain_broken', message, e.stream, 1, e.startAt ?? e.lastAt, Rank.stream));
    lineages.push(walk(e));
  }
  return lineages;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byStart = (a: StreamEnd, b: StreamEnd) =>
  compare(a.startTime ?? '', b.startTime ?? '') || compare(a.stream, b.stream);

function where(at: Place): string {
  if (at.file === undefined) return 'its record 1';
  return at.line === undefined ? at.file : `${at.file}:${at.line}`;
}
