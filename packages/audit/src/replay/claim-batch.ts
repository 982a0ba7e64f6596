import { NameTable } from '../internal/name-table.js';
import { packIdInto, unpackId } from './internal/packed-id.js';
import type { ReplayClaim } from './replay-claim.js';

/**
 * Replay claims as columns, for sending between threads (`AuditReplayer.addBatch`): each string
 * but the subject given once (`names`) and referred to by number, and a UUID `event.id` as
 * three numbers. Cloning a few arrays costs a fifth of cloning an object per claim, and the
 * receiving thread has one string per claim to collect, not six.
 */
export interface ClaimBatch {
  readonly names: readonly string[];
  readonly subjects: readonly string[];
  /** FIELDS numbers per claim: see `claimBatch`. */
  readonly numbers: Float64Array;
}

export const FIELDS = 14;

export function claimBatch(claims: readonly ReplayClaim[]): ClaimBatch {
  const table = new NameTable();
  // Most claims name the machine, state and stream of the claim before: told apart by a
  // comparison rather than a lookup.
  const machine = new LastRef(table);
  const state = new LastRef(table);
  const stream = new LastRef(table);
  const numbers = new Float64Array(claims.length * FIELDS);
  for (let i = 0; i < claims.length; i++) {
    const c = claims[i]!;
    const o = i * FIELDS;
    numbers[o] = machine.ref(c.machine);
    numbers[o + 1] = state.ref(c.state);
    numbers[o + 2] = table.ref(c.pending);
    numbers[o + 3] = stream.ref(c.stream);
    numbers[o + 4] = c.version;
    numbers[o + 5] = c.machineVersion;
    numbers[o + 6] = c.enteredAt;
    numbers[o + 7] = c.time;
    numbers[o + 8] = c.sequence ?? Number.NaN;
    numbers[o + 9] = c.stale ? 1 : 0;
    if (!packIdInto(c.id, numbers, o + 10)) {
      numbers[o + 10] = -1;
      numbers[o + 11] = table.ref(c.id);
      numbers[o + 12] = 0;
    }
    numbers[o + 13] = table.ref(c.lastKnown);
  }
  return { names: table.names, subjects: claims.map((c) => c.subject), numbers };
}

/** A table's number for a name, kept for the name given last. */
class LastRef {
  readonly #table: NameTable;
  #name: string | undefined;
  #ref = -1;

  constructor(table: NameTable) {
    this.#table = table;
  }

  ref(name: string | undefined): number {
    if (name !== this.#name) {
      this.#name = name;
      this.#ref = this.#table.ref(name);
    }
    return this.#ref;
  }
}

/** The claim at `i` of a batch, as an object. */
export function batchClaim({ names, subjects, numbers }: ClaimBatch, i: number): ReplayClaim {
  const o = i * FIELDS;
  const name = (ref: number) => (ref < 0 ? undefined : names[ref]);
  const sequence = numbers[o + 8]!;
  const a = numbers[o + 10]!;
  return {
    machine: names[numbers[o]!]!,
    subject: subjects[i]!,
    state: names[numbers[o + 1]!]!,
    pending: name(numbers[o + 2]!),
    stream: name(numbers[o + 3]!),
    version: numbers[o + 4]!,
    machineVersion: numbers[o + 5]!,
    enteredAt: numbers[o + 6]!,
    time: numbers[o + 7]!,
    sequence: Number.isNaN(sequence) ? undefined : sequence,
    stale: numbers[o + 9] === 1,
    lastKnown: name(numbers[o + 13]!),
    id: a < 0 ? names[numbers[o + 11]!]! : unpackId(a, numbers[o + 11]!, numbers[o + 12]!),
  };
}
