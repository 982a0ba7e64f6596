import type { ReplayClaim } from '../audit/replay-claim.js';
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
  claims: Map<number, Map<string, ReplayClaim>> | undefined;

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
    this.time = claim.time;
    this.a = claim.a;
    this.b = claim.b;
    this.c = claim.c;
    this.text = claim.text;
  }
}
