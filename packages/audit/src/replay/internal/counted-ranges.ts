/**
 * A count per integer, kept as sorted, disjoint ranges of equal counts: how many more times
 * each sequence of a stream was read. Re-reads come as runs (a file given twice), so a stream
 * costs a range or two, however many records it has. Integers not counted are 0.
 */
export class CountedRanges {
  readonly #lo: number[] = [];
  readonly #hi: number[] = [];
  readonly #count: number[] = [];

  get(n: number): number {
    const i = this.#firstEndingFrom(n);
    return i < this.#hi.length && this.#lo[i]! <= n ? this.#count[i]! : 0;
  }

  /** Adds one to the count of `n`. */
  increment(n: number): void {
    const lo = this.#lo;
    const hi = this.#hi;
    const count = this.#count;
    let i = this.#firstEndingFrom(n);
    const inside = i < hi.length && lo[i]! <= n;
    const c = (inside ? count[i]! : 0) + 1;
    if (inside) {
      // Cut n out of its range: the part before it stays at i, the part after follows n.
      const [a, b, old] = [lo[i]!, hi[i]!, count[i]!];
      const pieces: [number, number, number][] = [];
      if (a < n) pieces.push([a, n - 1, old]);
      pieces.push([n, n, c]);
      if (n < b) pieces.push([n + 1, b, old]);
      this.#replace(i, 1, pieces);
      if (a < n) i++;
    } else this.#replace(i, 0, [[n, n, c]]);
    // Join n's range with a neighbour of the same count that it touches.
    if (i + 1 < hi.length && lo[i + 1] === n + 1 && count[i + 1] === c) {
      hi[i] = hi[i + 1]!;
      this.#replace(i + 1, 1, []);
    }
    if (i > 0 && hi[i - 1] === lo[i]! - 1 && count[i - 1] === c) {
      hi[i - 1] = hi[i]!;
      this.#replace(i, 1, []);
    }
  }

  #replace(at: number, remove: number, pieces: readonly [number, number, number][]): void {
    this.#lo.splice(at, remove, ...pieces.map((p) => p[0]));
    this.#hi.splice(at, remove, ...pieces.map((p) => p[1]));
    this.#count.splice(at, remove, ...pieces.map((p) => p[2]));
  }

  #firstEndingFrom(n: number): number {
    const hi = this.#hi;
    let a = 0;
    let b = hi.length;
    if (b > 0 && hi[b - 1]! < n) return b;
    while (a < b) {
      const m = (a + b) >> 1;
      if (hi[m]! < n) a = m + 1;
      else b = m;
    }
    return a;
  }
}
