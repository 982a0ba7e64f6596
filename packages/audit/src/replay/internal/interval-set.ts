/**
 * A set of integers kept as sorted, disjoint, non-adjacent ranges: the sequences of a stream
 * or the versions of a subject, which arrive mostly one after the other, so they stay one
 * range and cost two numbers. Adding at the end is O(1); elsewhere, a binary search.
 */
export class IntervalSet {
  readonly #lo: number[] = [];
  readonly #hi: number[] = [];

  /** The set of lo..hi. */
  static range(lo: number, hi: number): IntervalSet {
    const set = new IntervalSet();
    set.#lo.push(lo);
    set.#hi.push(hi);
    return set;
  }

  /** Adds `n`; returns false when it was there already. */
  add(n: number): boolean {
    const lo = this.#lo;
    const hi = this.#hi;
    const last = hi.length - 1;
    if (last >= 0 && n === hi[last]! + 1) {
      hi[last] = n;
      return true;
    }
    // The first range that ends at or after n - 1 (it may hold n, or touch it).
    const a = this.#firstEndingFrom(n - 1);
    if (a < hi.length && lo[a]! <= n && n <= hi[a]!) return false;
    const joinsLeft = a < hi.length && hi[a] === n - 1;
    const joinsRight = joinsLeft
      ? a + 1 < lo.length && lo[a + 1] === n + 1
      : a < lo.length && lo[a] === n + 1;
    if (joinsLeft && joinsRight) {
      hi[a] = hi[a + 1]!;
      lo.splice(a + 1, 1);
      hi.splice(a + 1, 1);
    } else if (joinsLeft) hi[a] = n;
    else if (joinsRight) lo[a] = n;
    else {
      lo.splice(a, 0, n);
      hi.splice(a, 0, n);
    }
    return true;
  }

  has(n: number): boolean {
    const a = this.#firstEndingFrom(n);
    return a < this.#hi.length && this.#lo[a]! <= n;
  }

  #firstEndingFrom(n: number): number {
    const hi = this.#hi;
    let a = 0;
    let b = hi.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (hi[m]! < n) a = m + 1;
      else b = m;
    }
    return a;
  }

  /** The largest member, or undefined when empty. */
  get max(): number | undefined {
    return this.#hi.at(-1);
  }

  /** The ranges missing between `from` and the largest member: [first, last] of each. */
  gaps(from: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let next = from;
    for (let i = 0; i < this.#lo.length; i++) {
      if (this.#lo[i]! > next) out.push([next, this.#lo[i]! - 1]);
      next = Math.max(next, this.#hi[i]! + 1);
    }
    return out;
  }
}
