import { type ClaimBatch, FIELDS } from '../claim-batch.js';
import type { ClaimFields } from './subject-replay.js';

/**
 * The fields of one claim of a batch at a time, read in place: the replayer walks a batch
 * without making an object (or an id string) per claim.
 */
export class ClaimCursor implements ClaimFields {
  machine = '';
  subject = '';
  stream: string | undefined;
  sequence = Number.NaN;
  version = 0;
  time = 0;
  state = '';
  machineVersion = 0;
  enteredAt = 0;
  pending: string | undefined;
  stale = false;
  lastKnown: string | undefined;
  a = 0;
  b = 0;
  c = 0;
  text: string | undefined;

  /** Points the cursor at claim `i` of `batch`; `name` turns a batch's names into kept ones. */
  at({ names, subjects, numbers }: ClaimBatch, i: number, name: (n: string) => string): this {
    const o = i * FIELDS;
    this.machine = names[numbers[o]!]!;
    this.subject = subjects[i]!;
    this.state = name(names[numbers[o + 1]!]!);
    const pending = numbers[o + 2]!;
    this.pending = pending < 0 ? undefined : name(names[pending]!);
    const stream = numbers[o + 3]!;
    this.stream = stream < 0 ? undefined : names[stream];
    this.version = numbers[o + 4]!;
    this.machineVersion = numbers[o + 5]!;
    this.enteredAt = numbers[o + 6]!;
    this.time = numbers[o + 7]!;
    this.sequence = numbers[o + 8]!;
    this.stale = numbers[o + 9] === 1;
    const lastKnown = numbers[o + 13]!;
    this.lastKnown = lastKnown < 0 ? undefined : name(names[lastKnown]!);
    this.a = numbers[o + 10]!;
    this.b = numbers[o + 11]!;
    this.c = numbers[o + 12]!;
    this.text = this.a < 0 ? names[this.b] : undefined;
    return this;
  }
}
