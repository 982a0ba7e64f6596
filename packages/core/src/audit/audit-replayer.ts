import { ClaimCursor } from '../internal/claim-cursor.js';
import { IntervalSet } from '../internal/interval-set.js';
import { packId, unpackId } from '../internal/packed-id.js';
import { conflictsOf } from '../internal/replay-conflicts.js';
import { type ClaimFields, SubjectReplay } from '../internal/subject-replay.js';
import type { AuditInput } from './audit-verifier.js';
import { batchClaim, type ClaimBatch } from './claim-batch.js';
import type { AuditEntry, AuditLine } from './read-audit.js';
import { type ReplayClaim, replayClaim } from './replay-claim.js';
import type { ReplayConflict, ReplayedState, ReplayReport } from './replay-report.js';

/**
 * `replayAudit` in pieces. Every reduction it makes is order-free: per subject, the winning
 * record (highest version, then the total order of `compareClaims`) and the set of versions
 * seen. So any order of files or records gives the same report. Memory grows with subjects and
 * streams, not records: a record read twice is known by its stream and sequence (a range per
 * stream), a version claimed from two places is only marked, and a second pass
 * (`recheck`, needed when `needsSecondPass`) collects the records of the marked versions.
 * Claims parsed elsewhere (a worker thread) come in as batches (`addBatch`).
 */
export class AuditReplayer {
  /** Per machine, per subject. */
  readonly #subjects = new Map<string, Map<string, SubjectReplay>>();
  /** One copy of each state name, rather than one per subject. */
  readonly #names = new Map<string, string>();
  /** Sequences read per stream, to know a record read twice from one claimed twice. */
  readonly #places = new Map<string, IntervalSet>();
  /** Ids of records that are not chained (no stream or sequence), which only an id tells apart. */
  readonly #unplaced = new Set<string>();
  readonly #cursor = new ClaimCursor();
  #records = 0;
  #flagged = 0;

  /** Reads one record, entry or line (first pass); returns the parse error of a bad line. */
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

  /** Some version is claimed by two different records: `recheck` every item once more. */
  get needsSecondPass(): boolean {
    return this.#flagged > 0;
  }

  recheck(item: AuditInput): void {
    const claim = claimOfInput(item);
    if (claim !== undefined && !('error' in claim)) this.recheckClaim(claim);
  }

  recheckClaim(claim: ReplayClaim): void {
    const subject = this.#subjects.get(claim.machine)?.get(claim.subject);
    if (subject?.flagged?.has(claim.version) !== true) return;
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
    const counts: Record<string, Record<string, number>> = {};
    for (const machine of [...this.#subjects.keys()].sort()) {
      const bySubject = this.#subjects.get(machine)!;
      counts[machine] = {};
      for (const subject of [...bySubject.keys()].sort()) {
        const s = bySubject.get(subject)!;
        const { state, version, machineVersion, enteredAt, pending, stale } = s;
        states.push({ machine, subject, state, version, machineVersion, enteredAt, pending, stale });
        counts[machine][state] = (counts[machine][state] ?? 0) + 1;
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

  /** Marks the record's place read; false when it was read before (the same record again). */
  #firstTime(stream: string | undefined, sequence: number, id: string): boolean {
    if (stream === undefined || Number.isNaN(sequence)) {
      if (this.#unplaced.has(id)) return false;
      this.#unplaced.add(id);
      return true;
    }
    let seen = this.#places.get(stream);
    if (seen === undefined) {
      seen = new IntervalSet();
      this.#places.set(stream, seen);
    }
    return seen.add(sequence);
  }
}

/** The claim of a record, an entry or a line (parsed: for replay, cheaper than reading it in place). */
function claimOfInput(item: AuditInput): ReplayClaim | undefined | { readonly error: string } {
  if (typeof item !== 'object' || item === null || '@timestamp' in item) return replayClaim(item);
  const { error, text } = item as AuditLine;
  if (error !== undefined) return { error };
  if ('record' in item) return replayClaim((item as AuditEntry).record);
  try {
    return replayClaim(JSON.parse(text));
  } catch (e) {
    return { error: `not JSON: ${(e as Error).message}` };
  }
}
