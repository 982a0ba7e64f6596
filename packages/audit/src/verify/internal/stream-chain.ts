import { GENESIS_HASH } from '../../records/audit-record.js';
import { first, misplaced, type Place, type PlacedProblem, problemAt, Rank } from './chain-problems.js';
import { extendTail, join, knownHash, type Segment } from './chain-segment.js';
import type { StreamEnd } from './link-streams.js';
import type { RecordFacts } from './record-facts.js';

/** Runs kept per stream at most: only a stream broken in many places has more than one per file. */
const MAX_RUNS = 10_000;

/** What one stream's records show once all of them are read. */
export interface StreamSummary {
  readonly end: StreamEnd;
  readonly problem: PlacedProblem | undefined;
  readonly count: number;
  readonly firstSequence: number;
  readonly checkpoints: number;
  readonly signed: boolean;
  readonly files: readonly string[];
}

/**
 * One stream's records as runs, one open run per file: memory grows with the files a stream
 * spans, not with its records. The runs are put in order by sequence only at the end, so the
 * files may come in any order.
 */
export class StreamChain {
  readonly stream: string;
  count = 0;
  #done: Segment[] = [];
  readonly #open = new Map<string | undefined, Segment>();
  #problem: PlacedProblem | undefined;

  constructor(stream: string) {
    this.stream = stream;
  }

  add(segment: Segment): void {
    this.count += segment.count;
    const run = this.#open.get(segment.file);
    if (run === undefined) {
      this.#open.set(segment.file, segment);
      return;
    }
    const { joined, problem } = join(run, segment);
    this.note(problem);
    if (joined) return;
    if (this.#done.length < MAX_RUNS) this.#done.push(run);
    this.#open.set(segment.file, segment);
  }

  /**
   * Adds the next record of the file's open run in place, when it is a plain record that
   * follows the run's last one: what `add` would do with its segment, without making it (most
   * records are this). Returns false, changing nothing, for any other.
   */
  extend(f: RecordFacts, at: Place, file: string | undefined): boolean {
    const run = this.#open.get(file);
    if (
      run === undefined ||
      run.final ||
      f.isCheckpoint ||
      !f.intact ||
      f.sequence !== run.lastSequence + 1 ||
      f.sequence === 1 ||
      f.prevHash !== run.lastHash
    ) {
      return false;
    }
    this.count++;
    run.count++;
    run.lastSequence = f.sequence;
    run.lastHash = f.hash;
    run.lastAt = at;
    extendTail(run, f.hash);
    return true;
  }

  note(problem: PlacedProblem | undefined): void {
    this.#problem = first(this.#problem, problem);
  }

  /** The runs, each file's in the order read, and the first problem seen between them. */
  take(): { segments: Segment[]; problem: PlacedProblem | undefined } {
    return { segments: [...this.#done, ...this.#open.values()], problem: this.#problem };
  }

  /** Puts the runs in order and checks the links between them. */
  summarize(requireStart: boolean): StreamSummary {
    const runs = [...this.#done, ...this.#open.values()].sort(
      (a, b) => a.firstSequence - b.firstSequence || a.firstAt.order - b.firstAt.order,
    );
    const stream = this.stream;
    const oldest = runs[0]!;
    // Files pruned by retention (fileSink's maxFiles): the chain is checked from the oldest
    // record kept, whose link to the records before it is taken on trust.
    const pruned = !requireStart && oldest.firstSequence > 1;
    let expected = pruned ? oldest.firstSequence : 1;
    let prev = pruned ? oldest.firstPrev : GENESIS_HASH;
    const firstSequence = expected;
    let problem = this.#problem;
    let last: Segment | undefined;
    let signedSoFar = false;
    let checkpoints = 0;
    let coveredTo = 0;
    for (const run of runs) {
      const seq = run.firstSequence;
      const at = run.firstAt;
      problem = first(problem, run.problem);
      if (seq === expected && last?.final) problem = first(problem, misplaced.afterClose(stream, seq, at));
      else if (seq === expected && run.firstPrev !== prev)
        problem = first(problem, misplaced.replaced(stream, seq, at));
      else if (seq > expected) problem = first(problem, misplaced.deleted(stream, expected, seq, at));
      else if (seq < expected) {
        const same = last !== undefined && knownHash(last, seq) === run.firstHash;
        const p = same
          ? misplaced.duplicated(stream, seq, at)
          : misplaced.outOfPlace(stream, seq, expected, at);
        problem = first(problem, p);
      }
      const unsigned = signedSoFar ? run.unsigned : run.unsignedAfterSigned;
      if (unsigned !== undefined) {
        const s = unsigned.sequence;
        const message = `checkpoint ${s} is not signed, though earlier checkpoints of its stream are`;
        problem = first(problem, problemAt('unsigned', message, stream, s, unsigned.at, Rank.checkpoint));
      }
      signedSoFar ||= run.signedFrom > 0;
      checkpoints += run.checkpoints;
      coveredTo = Math.max(coveredTo, run.coveredTo);
      if (run.lastSequence >= expected) {
        expected = run.lastSequence + 1;
        prev = run.lastHash;
        last = run;
      }
    }
    const tail = last ?? runs.at(-1)!;
    const start = runs.find((r) => r.started !== undefined);
    return {
      end: {
        stream,
        previous: start?.previous,
        startAt: start?.started?.at,
        startTime: start?.started?.timestamp,
        lastSequence: tail.lastSequence,
        lastHash: tail.lastHash,
        lastAt: tail.lastAt,
        closed: tail.final,
        sealedBy: tail.sealedBy,
        coveredTo,
      },
      problem: classify(problem, runs),
      count: this.count,
      firstSequence,
      checkpoints,
      signed: signedSoFar,
      files: filesOf(runs),
    };
  }
}

/** A jump is a deletion unless the records it skipped are somewhere in the input. */
function classify(problem: PlacedProblem | undefined, runs: readonly Segment[]): PlacedProblem | undefined {
  const missing = problem?.missing;
  if (problem === undefined || missing === undefined) return problem;
  const found = runs.some((r) => r.firstSequence <= missing && missing <= r.lastSequence);
  if (!found) return problem;
  const { file, line, order } = problem;
  return misplaced.outOfPlace(problem.stream!, problem.sequence!, missing, { file, line, order });
}

function filesOf(runs: readonly Segment[]): string[] {
  const byOrder = [...runs].sort((a, b) => a.firstAt.order - b.firstAt.order);
  return [...new Set(byOrder.map((r) => r.file).filter((f): f is string => f !== undefined))];
}
