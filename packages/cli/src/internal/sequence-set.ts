/**
 * Which sequences of a stream were seen, as sorted disjoint ranges: records arrive mostly one
 * after the other, so a stream costs a range or two, not a set entry per record.
 */
export class SequenceSet {
  readonly #lo: number[] = [];
  readonly #hi: number[] = [];

  /** Takes the lowest holes for seen, keeping at most `max`: joins the first ranges into one. */
  keepHoles(max: number): void {
    const fill = this.#hi.length - 1 - max;
    if (fill <= 0) return;
    this.#lo.splice(1, fill);
    this.#hi.splice(0, fill);
  }

  /** Adds `n`; returns false when it was there already. */
  add(n: number): boolean {
    const lo = this.#lo;
    const hi = this.#hi;
    // The first range that ends at or after n - 1: it holds n, touches it, or comes after it.
    let a = 0;
    let b = hi.length;
    if (b > 0 && hi[b - 1]! < n - 1) a = b;
    while (a < b) {
      const m = (a + b) >> 1;
      if (hi[m]! < n - 1) a = m + 1;
      else b = m;
    }
    if (lo[a]! <= n && n <= hi[a]!) return false;
    if (hi[a] === n - 1) {
      const merge = lo[a + 1] === n + 1;
      hi[a] = merge ? hi[a + 1]! : n;
      if (merge) {
        lo.splice(a + 1, 1);
        hi.splice(a + 1, 1);
      }
    } else if (lo[a] === n + 1) lo[a] = n;
    else {
      lo.splice(a, 0, n);
      hi.splice(a, 0, n);
    }
    return true;
  }
}
