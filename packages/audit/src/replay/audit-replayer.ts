import type { AuditEntry, AuditLine } from '../read/read-audit.js';
import type { AuditInput } from '../verify/audit-verifier.js';
import { batchClaim, type ClaimBatch } from './claim-batch.js';
import { ClaimCursor } from './internal/claim-cursor.js';
import { claimFingerprint, fingerprintSecret } from './internal/claim-fingerprint.js';
import { packId, unpackId } from './internal/packed-id.js';
import { PlaceReads } from './internal/place-reads.js';
import { conflictsOf } from './internal/replay-conflicts.js';
import { type ClaimFields, SubjectReplay } from './internal/subject-replay.js';
import { type ReplayClaim, readClaim } from './replay-claim.js';
import type { ReplayConflict, ReplayedState, ReplayReport } from './replay-report.js';

/**
 * `replayAudit` in pieces. Every reduction it makes is order-free: per subject, the winning
 * record (highest version, then the total order of `compareClaims`) and the set of versions
 * seen. So any order of files or records gives the same report. Memory grows with subjects and
 * streams, not records: no record's id is kept but the winner's.
 *
 * - A version claimed from two places (stream and sequence) is only marked, and a later pass
 *   collects the records of the marked versions, to name them when they differ.
 * - A place read twice is the same record read again (a file given twice), unless a writer
 *   reused the stream's id; then two different records sit at one place, and their versions
 *   conflict. Places read more than once are counted (a range per run), and a pass over the
 *   input checks, from sums of keyed fingerprints of each subject's ids, that every such place
 *   held one record. A subject whose sums do not match has every version named in one more pass.
 *
 * So the input is read once, when no place and no version was read twice, and at most three
 * times: `add` everything, then `recheck` everything for as long as `nextPass()` says. Claims
 * parsed elsewhere (a worker thread) come in as batches (`addBatch`, `recheckBatch`).
 */
export class AuditReplayer {
  /** Per machine, per subject. */
  readonly #subjects = new Map<string, Map<string, SubjectReplay>>();
  /** One copy of each state name, rather than one per subject. */
  readonly #names = new Map<string, string>();
  /** Sequences read per stream, to know a record read twice from one claimed twice. */
  readonly #places = new Map<string, PlaceReads>();
  /** Ids of records that are not chained (no stream or sequence), which only an id tells apart. */
  readonly #unplaced = new Set<string>();
  readonly #cursor = new ClaimCursor();
  readonly #secret = fingerprintSecret();
  /** Subjects read at a place read more than once, in the pass that checks such places. */
  readonly #weighed = new Set<SubjectReplay>();
  /** 1: `add`; 2: `recheck`, which collects marked versions and checks places read again; 3: `recheck`, which collects the versions of subjects whose places did not check out. */
  #pass = 1;
  #records = 0;
  #flagged = 0;
  #repeated = false;

  /**
   * Reads one record, entry or line (first pass); returns why it was skipped when it is not
   * JSON, or a state record with a field replay reads of the wrong type.
   */
  add(item: AuditInput): string | undefined {
    const claim = claimOfInput(item);
    if (claim !== undefined && 'error' in claim) return claim.error;
    if (claim !== undefined) this.addClaim(claim);
    return undefined;
  }

  addClaim(claim: ReplayClaim): void {
    const packed = packId(claim.id);
    const fields: ClaimFields = {
      ...claim,
      state: this.#name(claim.state),
      pending: claim.pending === undefined ? undefined : this.#name(claim.pending),
      lastKnown: claim.lastKnown === undefined ? undefined : this.#name(claim.lastKnown),
      a: packed?.[0] ?? -1,
      b: packed?.[1] ?? 0,
      c: packed?.[2] ?? 0,
      text: packed === undefined ? claim.id : undefined,
    };
    this.#add(claim.machine, claim.subject, claim.stream, claim.sequence ?? Number.NaN, claim.id, fields);
  }

  addBatch(batch: ClaimBatch): void {
    const name = (n: string) => this.#name(n);
    for (let i = 0; i < batch.subjects.length; i++) {
      const c = this.#cursor.at(batch, i, name);
      // Only a record outside any chain is told apart by its id: then the id is needed as text.
      const unplaced = c.stream === undefined || Number.isNaN(c.sequence);
      this.#add(
        c.machine,
        c.subject,
        c.stream,
        c.sequence,
        unplaced ? (c.text ?? unpackId(c.a, c.b, c.c)) : undefined,
        c,
      );
    }
  }

  /**
   * Ends a pass over the input (the first, of `add`, or one of `recheck`) and says whether the
   * input must be read once more with `recheck`: some version was claimed from two places, or
   * some place was read twice (after the first pass), or some place held two records (after the
   * second).
   */
  nextPass(): boolean {
    if (this.#pass === 1) {
      this.#pass = 2;
      return this.#flagged > 0 || this.#repeated;
    }
    if (this.#pass === 2) {
      this.#pass = 3;
      let again = false;
      for (const subject of this.#weighed) {
        if (!subject.doubtful) continue;
        subject.flaggedAll = true;
        again = true;
      }
      this.#weighed.clear();
      return again;
    }
    return false;
  }

  recheck(item: AuditInput): void {
    const claim = claimOfInput(item);
    if (claim !== undefined && !('error' in claim)) this.recheckClaim(claim);
  }

  recheckClaim(claim: ReplayClaim): void {
    const subject = this.#subjects.get(claim.machine)?.get(claim.subject);
    if (subject === undefined) return;
    if (this.#pass === 2) this.#weigh(subject, claim);
    const named = this.#pass === 2 ? subject.flagged?.has(claim.version) === true : subject.flaggedAll;
    if (!named) return;
    subject.claims ??= new Map();
    const byId = subject.claims.get(claim.version) ?? new Map<string, ReplayClaim>();
    byId.set(claim.id, claim);
    subject.claims.set(claim.version, byId);
  }

  recheckBatch(batch: ClaimBatch): void {
    for (let i = 0; i < batch.subjects.length; i++) this.recheckClaim(batchClaim(batch, i));
  }

  report(): ReplayReport {
    const states: ReplayedState[] = [];
    const conflicts: ReplayConflict[] = [];
    // Without a prototype, so that a machine or state named `__proto__` is counted like any
    // other name (on a plain object, assigning it sets the prototype), and `constructor` starts
    // at nothing.
    const counts: Record<string, Record<string, number>> = Object.create(null);
    for (const machine of [...this.#subjects.keys()].sort()) {
      const bySubject = this.#subjects.get(machine)!;
      const byState: Record<string, number> = Object.create(null);
      counts[machine] = byState;
      for (const subject of [...bySubject.keys()].sort()) {
        const s = bySubject.get(subject)!;
        const { state, version, machineVersion, enteredAt, pending, stale, lastKnown } = s;
        states.push({
          machine,
          subject,
          state,
          version,
          machineVersion,
          enteredAt,
          pending,
          stale,
          lastKnown,
        });
        byState[state] = (byState[state] ?? 0) + 1;
        conflicts.push(...conflictsOf(machine, subject, s));
      }
    }
    return { states, counts, conflicts, records: this.#records };
  }

  #add(
    machine: string,
    subject: string,
    stream: string | undefined,
    sequence: number,
    id: string | undefined,
    claim: ClaimFields,
  ): void {
    this.#records++;
    let bySubject = this.#subjects.get(machine);
    if (bySubject === undefined) {
      bySubject = new Map();
      this.#subjects.set(machine, bySubject);
    }
    const again = !this.#firstTime(stream, sequence, id ?? claim.text ?? '');
    const known = bySubject.get(subject);
    if (known === undefined) {
      bySubject.set(subject, new SubjectReplay(claim));
      return;
    }
    known.offer(claim);
    if (!known.see(claim.version) && !again) {
      known.flagged ??= new Set();
      if (!known.flagged.has(claim.version)) this.#flagged++;
      known.flagged.add(claim.version);
    }
  }

  #name(name: string): string {
    const known = this.#names.get(name);
    if (known !== undefined) return known;
    this.#names.set(name, name);
    return name;
  }

  /**
   * Marks the record's place read; false when it was read before: the same record again, or
   * (for a chained record) another at its place, which the second pass tells apart.
   */
  #firstTime(stream: string | undefined, sequence: number, id: string): boolean {
    if (stream === undefined || Number.isNaN(sequence)) {
      if (this.#unplaced.has(id)) return false;
      this.#unplaced.add(id);
      return true;
    }
    let places = this.#places.get(stream);
    if (places === undefined) {
      places = new PlaceReads();
      this.#places.set(stream, places);
    }
    if (places.read(sequence)) return true;
    this.#repeated = true;
    return false;
  }

  /** Adds a read at a place read more than once to its subject's sums (see `SubjectReplay.weigh`). */
  #weigh(subject: SubjectReplay, claim: ReplayClaim): void {
    const { stream, sequence } = claim;
    if (stream === undefined || sequence === undefined) return;
    const places = this.#places.get(stream);
    if (places?.repeated !== true) return;
    const times = places.times(sequence);
    if (times < 2) return;
    subject.weigh(
      times,
      places.firstInPass(sequence),
      claimFingerprint(this.#secret, claim.version, claim.id),
    );
    this.#weighed.add(subject);
  }
}

/** The claim of a record, an entry or a line (parsed: for replay, cheaper than reading it in place). */
function claimOfInput(item: AuditInput): ReplayClaim | undefined | { readonly error: string } {
  if (typeof item !== 'object' || item === null || '@timestamp' in item) return claimOf(item);
  const { error, text } = item as AuditLine;
  if (error !== undefined) return { error };
  if ('record' in item) return claimOf((item as AuditEntry).record);
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON: ${(e as Error).message}` };
  }
  return claimOf(record);
}

function claimOf(record: unknown): ReplayClaim | undefined | { readonly error: string } {
  const claim = readClaim(record);
  return typeof claim === 'string' ? { error: `not an audit record (${claim})` } : claim;
}
