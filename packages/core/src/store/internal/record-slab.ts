import { blankStateRecord, type MutableStateRecord, type StateRecord } from '../state-record.js';

const NONE = 0;
/** The state of a slot that holds no record. */
const EMPTY = 0xffff_ffff;

/**
 * State records packed in typed arrays, one slot per subject: about 29 bytes a subject where a
 * record object with a boxed `enteredAt` costs about 90. State names are interned, so a slot
 * holds small integers only. Slots are handed out and taken back by the store; the arrays
 * double as needed, up to `limit` slots. Subjects per state are counted as records are written
 * and freed, so that diagnostics never walk the slots.
 */
export class RecordSlab {
  readonly #limit: number;
  #capacity = 0;
  #used = 0;
  readonly #free: number[] = [];
  #state = new Uint32Array(0);
  /** Interned pending target + 1; 0: none. */
  #pending = new Uint32Array(0);
  #version = new Uint32Array(0);
  /** Interned machine version. */
  #machineVersion = new Uint32Array(0);
  #enteredAt = new Float64Array(0);
  #stale = new Uint8Array(0);
  /** Interned last known state + 1; 0: none. */
  #lastKnown = new Uint32Array(0);
  readonly #names = new Interned<string>();
  /** Live records per interned state name. */
  readonly #counts: number[] = [];
  // Machine versions are few and may be large (a date): interned like names.
  readonly #versions = new Interned<number>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** A slot for a new record; its content is set by `write`. */
  alloc(): number {
    let slot = this.#free.pop();
    if (slot === undefined) {
      if (this.#used === this.#capacity) this.#grow();
      slot = this.#used++;
    }
    this.#state[slot] = EMPTY;
    return slot;
  }

  free(slot: number): void {
    const state = this.#state[slot]!;
    if (state !== EMPTY) this.#counts[state]!--;
    this.#state[slot] = EMPTY;
    this.#free.push(slot);
  }

  write(slot: number, r: StateRecord): void {
    if (!Number.isInteger(r.version) || r.version < 0 || r.version > 0xffff_ffff) {
      throw new RangeError(`record version ${r.version} is not a 32-bit unsigned integer`);
    }
    const state = this.#names.id(r.state);
    const was = this.#state[slot]!;
    if (was !== EMPTY) this.#counts[was]!--;
    this.#counts[state] = (this.#counts[state] ?? 0) + 1;
    this.#state[slot] = state;
    this.#pending[slot] = r.pending === undefined ? NONE : this.#names.id(r.pending) + 1;
    this.#version[slot] = r.version;
    this.#machineVersion[slot] = this.#versions.id(r.machineVersion);
    this.#enteredAt[slot] = r.enteredAt;
    this.#stale[slot] = r.stale === true ? 1 : 0;
    this.#lastKnown[slot] = r.lastKnown === undefined ? NONE : this.#names.id(r.lastKnown) + 1;
  }

  version(slot: number): number {
    return this.#version[slot]!;
  }

  /** Fills `into` with the slot's record: reads build nothing. */
  read(slot: number, into: MutableStateRecord): void {
    const pending = this.#pending[slot]!;
    into.state = this.#names.value(this.#state[slot]!);
    into.version = this.#version[slot]!;
    into.machineVersion = this.#versions.value(this.#machineVersion[slot]!);
    into.enteredAt = this.#enteredAt[slot]!;
    into.pending = pending === NONE ? undefined : this.#names.value(pending - 1);
    into.stale = this.#stale[slot] === 1;
    const lastKnown = this.#lastKnown[slot]!;
    into.lastKnown = lastKnown === NONE ? undefined : this.#names.value(lastKnown - 1);
  }

  /** Live records per state, in the order states were first written; states with none are left out. */
  counts(): Map<string, number> {
    const out = new Map<string, number>();
    const counts = this.#counts;
    for (let id = 0; id < counts.length; id++) {
      const n = counts[id];
      if (n !== undefined && n > 0) out.set(this.#names.value(id), n);
    }
    return out;
  }

  /** The slot's record as a new object, for callers that keep it. */
  record(slot: number): StateRecord {
    const out: MutableStateRecord = blankStateRecord();
    this.read(slot, out);
    return out;
  }

  #grow(): void {
    const capacity = Math.min(this.#limit, Math.max(1024, this.#capacity * 2));
    if (capacity <= this.#capacity) throw new RangeError(`no free slot: all ${this.#limit} are in use`);
    const grown = <T extends Uint8Array | Uint32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.#state = grown(this.#state, (n) => new Uint32Array(n));
    this.#pending = grown(this.#pending, (n) => new Uint32Array(n));
    this.#version = grown(this.#version, (n) => new Uint32Array(n));
    this.#machineVersion = grown(this.#machineVersion, (n) => new Uint32Array(n));
    this.#enteredAt = grown(this.#enteredAt, (n) => new Float64Array(n));
    this.#stale = grown(this.#stale, (n) => new Uint8Array(n));
    this.#lastKnown = grown(this.#lastKnown, (n) => new Uint32Array(n));
    this.#capacity = capacity;
  }
}

/** Values numbered in the order first seen, so that a slot holds a small integer. */
class Interned<T> {
  readonly #values: T[] = [];
  readonly #ids = new Map<T, number>();

  id(value: T): number {
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.#values.length;
      this.#values.push(value);
      this.#ids.set(value, id);
    }
    return id;
  }

  value(id: number): T {
    return this.#values[id]!;
  }
}
