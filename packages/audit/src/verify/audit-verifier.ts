import { asPublicKey, keyId } from '../chain/checkpoint-signature.js';
import { describeValue } from '../internal/describe-value.js';
import type { AuditEntry, AuditLine } from '../read/read-audit.js';
import type { AuditRecord } from '../records/audit-record.js';
import { first, type Place, type PlacedProblem, problemAt } from './internal/chain-problems.js';
import type { Segment } from './internal/chain-segment.js';
import { linkStreams } from './internal/link-streams.js';
import { type CheckedLine, factsOfLine, factsOfRecord } from './internal/record-facts.js';
import { type CheckpointRules, recordSegment } from './internal/record-segment.js';
import { StreamChain } from './internal/stream-chain.js';
import type { StreamReport, VerifyOptions, VerifyReport } from './verify-report.js';

/** What `verifyAudit` reads: records, parsed entries, or lines as written. */
export type AuditInput = AuditRecord | AuditEntry | AuditLine;

/**
 * What an `AuditVerifier` has seen, as plain data (structured-clone safe): a worker thread
 * verifies its share of the lines and sends this for another verifier to `merge`.
 */
export interface AuditVerifierPartial {
  readonly count: number;
  readonly malformed: readonly PlacedProblem[];
  readonly unlisted: number;
  readonly streams: readonly { readonly segments: Segment[]; readonly problem: PlacedProblem | undefined }[];
}

const MAX_MALFORMED = 1000;

/** The key of `AuditVerifier`'s method for lines known to be plain (see `[addPlainLine]`). */
export const addPlainLine: unique symbol = Symbol('flagstate.addPlainLine');

/**
 * `verifyAudit` in pieces: `add` records (or lines) as they are read, `report` at the end.
 * Memory grows with streams and files, not records: each stream keeps one run per file. Work
 * can be split, e.g. by chunks of a file across worker threads, with `takePartial` and
 * `merge`; merge the pieces of a file in the order they were read.
 */
export class AuditVerifier {
  readonly #rules: CheckpointRules;
  readonly #requireClosed: boolean;
  readonly #requireStart: boolean;
  #streams = new Map<string, StreamChain>();
  #malformed: PlacedProblem[] = [];
  #unlisted = 0;
  #count = 0;
  #order = 0;

  constructor(options: VerifyOptions = {}) {
    const publicKey = options.publicKey === undefined ? undefined : asPublicKey(options.publicKey);
    this.#rules = {
      publicKey,
      expectedKeyId: publicKey === undefined ? undefined : keyId(publicKey),
      requireSignatures: options.requireSignatures ?? options.publicKey !== undefined,
    };
    this.#requireClosed = options.requireClosed ?? true;
    this.#requireStart = options.requireStart ?? true;
  }

  /**
   * Checks one record, entry or line. `order` places it in the input (problems are listed in
   * its order); by default, one after the one before.
   */
  add(item: AuditInput, order = this.#order++): void {
    const { file, line } = item as AuditLine;
    this.#take(checkSafely(item), { file, line, order }, file);
  }

  /**
   * `add` of a line the caller vouches holds no backslash, no control character and no lone
   * surrogate: for the CLI, which checks its bytes a block of lines at once. `bytes` (from
   * `at`), when given: the line's ASCII bytes, which the verifier may overwrite.
   */
  [addPlainLine](text: string, file: string, line: number, order: number, bytes?: Buffer, at = 0): void {
    this.#take(checkSafely({ text, file, line }, true, bytes, at), { file, line, order }, file);
  }

  #take(checked: CheckedLine, at: Place, file: string | undefined): void {
    if (checked === 'skip') return;
    if ('malformed' in checked) {
      if (this.#malformed.length < MAX_MALFORMED) {
        this.#malformed.push(problemAt('malformed', checked.malformed, undefined, undefined, at, 0));
      } else this.#unlisted++;
      return;
    }
    this.#count++;
    const chain = this.#chain(checked.stream);
    if (!chain.extend(checked, at, file)) chain.add(recordSegment(checked, at, file, this.#rules));
  }

  takePartial(): AuditVerifierPartial {
    const partial: AuditVerifierPartial = {
      count: this.#count,
      malformed: this.#malformed,
      unlisted: this.#unlisted,
      streams: [...this.#streams.values()].map((s) => s.take()),
    };
    this.#streams = new Map();
    this.#malformed = [];
    this.#unlisted = 0;
    this.#count = 0;
    return partial;
  }

  merge(partial: AuditVerifierPartial): void {
    this.#count += partial.count;
    this.#unlisted += partial.unlisted;
    for (const p of partial.malformed) {
      if (this.#malformed.length < MAX_MALFORMED) this.#malformed.push(p);
      else this.#unlisted++;
    }
    for (const { segments, problem } of partial.streams) {
      const chain = this.#chain(segments[0]!.stream);
      chain.note(problem);
      for (const s of segments) chain.add(s);
    }
  }

  report(): VerifyReport {
    const summaries = [...this.#streams.values()].map((s) => s.summarize(this.#requireStart));
    const linked = linkStreams(
      summaries.map((s) => s.end),
      this.#requireStart,
      this.#requireClosed,
    );
    const firstOf = new Map(summaries.map((s) => [s.end.stream, s.problem]));
    for (const p of linked.problems) firstOf.set(p.stream!, first(firstOf.get(p.stream!), p));
    const placed = [...this.#malformed, ...[...firstOf.values()].filter((p) => p !== undefined)];
    placed.sort((a, b) => a.order - b.order || a.rank - b.rank);
    const problems = placed.map(({ order: _o, rank: _r, missing: _m, ...p }) => p);
    const rank = new Map(linked.lineages.flat().map((id, i) => [id, i]));
    summaries.sort((a, b) => rank.get(a.end.stream)! - rank.get(b.end.stream)!);
    const streams: StreamReport[] = summaries.map(({ end, ...s }) => ({
      stream: end.stream,
      count: s.count,
      firstSequence: s.firstSequence,
      lastSequence: end.lastSequence,
      checkpoints: s.checkpoints,
      coveredTo: end.coveredTo,
      closed: end.closed,
      sealed: end.sealedBy !== undefined,
      previous: end.previous?.stream,
      signed: s.signed,
      files: s.files,
    }));
    return {
      ok: problems.length === 0 && this.#unlisted === 0,
      count: this.#count,
      streams,
      lineages: linked.lineages,
      firstBad: problems[0],
      problems,
      unlisted: this.#unlisted,
    };
  }

  #chain(stream: string): StreamChain {
    let chain = this.#streams.get(stream);
    if (chain === undefined) {
      chain = new StreamChain(stream);
      this.#streams.set(stream, chain);
    }
    return chain;
  }
}

/**
 * `check`, which does not throw on any input: what it cannot check (a record in memory holding
 * a bigint or a getter that throws, say) is malformed, not the end of the verification.
 */
function checkSafely(item: AuditInput, plain = false, bytes?: Buffer, at = 0): CheckedLine {
  try {
    return check(item, plain, bytes, at);
  } catch (error) {
    return {
      malformed: `cannot be checked: ${error instanceof Error ? error.message : describeValue(error)}`,
    };
  }
}

/** A record (or a parsed entry) is hashed as canonicalized; a line as written. */
function check(item: AuditInput, plain: boolean, bytes: Buffer | undefined, at: number): CheckedLine {
  if (typeof item !== 'object' || item === null || '@timestamp' in item) return factsOfRecord(item);
  const { error, text } = item as AuditLine;
  if (error !== undefined) return { malformed: error };
  if ('record' in item) return factsOfRecord(item.record);
  return typeof text === 'string' ? factsOfLine(text, plain, bytes, at) : factsOfRecord(undefined);
}
