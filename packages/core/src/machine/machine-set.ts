import type { Machine } from './machine.js';

/** The machines of one document, looked up by id or by bound flag key. Immutable. */
export class MachineSet implements Iterable<Machine> {
  readonly #byId: ReadonlyMap<string, Machine>;
  readonly #byFlag: ReadonlyMap<string, Machine>;

  constructor(machines: Iterable<Machine>) {
    const byId = new Map<string, Machine>();
    const byFlag = new Map<string, Machine>();
    for (const machine of machines) {
      if (byId.has(machine.id)) throw new Error(`duplicate machine id "${machine.id}"`);
      byId.set(machine.id, machine);
      for (const flag of machine.flags) {
        const other = byFlag.get(flag);
        if (other) throw new Error(`flag "${flag}" is bound to both "${other.id}" and "${machine.id}"`);
        byFlag.set(flag, machine);
      }
    }
    this.#byId = byId;
    this.#byFlag = byFlag;
    Object.freeze(this);
  }

  static readonly empty: MachineSet = new MachineSet([]);

  get size(): number {
    return this.#byId.size;
  }

  get(id: string): Machine | undefined {
    return this.#byId.get(id);
  }

  /** The machine a flag is bound to: one map lookup, the cost an unbound flag pays. */
  forFlag(flagKey: string): Machine | undefined {
    return this.#byFlag.get(flagKey);
  }

  ids(): IterableIterator<string> {
    return this.#byId.keys();
  }

  [Symbol.iterator](): IterableIterator<Machine> {
    return this.#byId.values();
  }
}
