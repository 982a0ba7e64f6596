import type { ScannedObject } from './member-table.js';

/**
 * What a reader works out of a line's structure (which members it has, where they are in the
 * table, of what type their values are), worked out once per shape of line (see
 * `ScannedObject.shape`) rather than once per line: a log of a few shapes has its ~30 member
 * lookups a line done a few times in all. A line scanned token by token has it worked out anew.
 */
export class ShapeMemo<T> {
  readonly #build: (s: ScannedObject) => T;
  /** Shapes are dropped when more are learned than are kept; so are their plans. */
  readonly #plans = new WeakMap<object, T>();
  #lastShape: object | undefined;
  #last: T | undefined;

  constructor(build: (s: ScannedObject) => T) {
    this.#build = build;
  }

  of(s: ScannedObject): T {
    const shape = s.shape;
    if (shape === undefined) return this.#build(s);
    // Lines of one shape come in runs: most lines are the last one's shape.
    if (shape === this.#lastShape) return this.#last as T;
    let plan = this.#plans.get(shape);
    if (plan === undefined) {
      plan = this.#build(s);
      this.#plans.set(shape, plan);
    }
    this.#lastShape = shape;
    this.#last = plan;
    return plan;
  }
}
