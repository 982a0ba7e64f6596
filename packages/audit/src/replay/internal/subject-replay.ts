import type { ReplayClaim } from '../replay-claim.js';
import { PRIME } from './claim-fingerprint.js';
import { IntervalSet } from './interval-set.js';
import { compareIds, type IdKey, unpackId } from './packed-id.js';

/** A claim's fields as replay reads them, flat (from a claim, or from a batch without objects). */
export interface ClaimFields extends IdKey {
  version: number;
  time: number;
  state: string;
  machineVersion: number;
  enteredAt: number;
  pending: string | undefined;
  stale: boolean;
  lastKnown: string | undefined;
}

/**
 * One subject's replay: its winning record so far, the versions seen, and the versions two
 * places claim. Kept flat, with the versions as one range while they come in order (almost
 * always) and the winner's id as numbers: a subject costs about 200 bytes, whatever the
 * number of its records.
 */
export class SubjectReplay implements ClaimFields {
  state = '';
  version = 0;
  machineVersion = 0;
  enteredAt = 0;
  pending: string | undefined;
  stale = false;
  lastKnown: string | undefined;
  time = 0;
  a = 0;
  b = 0;
  c = 0;
  text: string | undefined;
  #lo: number;
  #hi: number;
  #more: IntervalSet | undefined;
  /** Versions claimed from two places: the second pass names their records. */
  flagged: Set<number> | undefined;
  /** A place this subject was read at held another record too: the next pass names every version's records. */
  flaggedAll = false;
  claims: Map<number, Map<string, ReplayClaim>> | undefined;
  /**
   * Over the subject's reads at places read k > 1 times, in the pass that checks them: k times
   * the fingerprint of each place's first read, less the fingerprint of every read, in two
   * lanes modulo PRIME. Both are 0 when each such place held one record, read k times.
   */
  #doubt = 0;
  #doubt2 = 0;

  constructor(claim: ClaimFields) {
    this.#take(claim);
    this.#lo = claim.version;
    this.#hi = claim.version;
  }

  /** Takes the claim as the subject's record if it wins: a higher version, then a later time, then a larger id. */
  offer(claim: ClaimFields): void {
    const order = claim.version - this.version || claim.time - this.time || compareIds(claim, this);
    if (order > 0) this.#take(claim);
  }

  /** The winning record's `event.id`. */
  get id(): string {
    return this.a >= 0 ? unpackId(this.a, this.b, this.c) : this.text!;
  }

  /** Marks `version` seen; false when it was seen before. */
  see(version: number): boolean {
    if (this.#more !== undefined) return this.#more.add(version);
    if (version === this.#hi + 1) this.#hi = version;
    else if (version === this.#lo - 1) this.#lo = version;
    else if (version < this.#lo || version > this.#hi) {
      this.#more = IntervalSet.range(this.#lo, this.#hi);
      return this.#more.add(version);
    } else return false;
    return true;
  }

  /** Adds one read at a place read `times` times (first: its first read in the pass), fingerprinted as `h`. */
  weigh(times: number, first: boolean, h: readonly [number, number]): void {
    // (k - 1) * h, k being `times` for the first read and 0 for the others.
    const factor = ((first ? times % PRIME : 0) - 1 + PRIME) % PRIME;
    this.#doubt = (this.#doubt + ((factor * h[0]) % PRIME)) % PRIME;
    this.#doubt2 = (this.#doubt2 + ((factor * h[1]) % PRIME)) % PRIME;
  }

  /** Some place this subject was read at held more than one record (see `weigh`). */
  get doubtful(): boolean {
    return this.#doubt !== 0 || this.#doubt2 !== 0;
  }

  /** Versions missing from 1 to the highest seen, as [first, last] ranges. */
  gaps(): Array<[number, number]> {
    if (this.#more !== undefined) return this.#more.gaps(1);
    return this.#lo > 1 ? [[1, this.#lo - 1]] : [];
  }

  #take(claim: ClaimFields): void {
    this.state = claim.state;
    this.version = claim.version;
    this.machineVersion = claim.machineVersion;
    this.enteredAt = claim.enteredAt;
    this.pending = claim.pending;
    this.stale = claim.stale;
    this.lastKnown = claim.lastKnown;
    this.time = claim.time;
    this.a = claim.a;
    this.b = claim.b;
    this.c = claim.c;
    this.text = claim.text;
  }
}
