/** Evaluation times in milliseconds, kept whole so that percentiles are exact. */
export class LatencyRecorder {
  #samples: number[] = [];

  record(ms: number): void {
    this.#samples.push(ms);
  }

  get count(): number {
    return this.#samples.length;
  }

  /**
   * The `p`-th percentile (0..100) by nearest rank of the samples recorded from the `from`-th
   * up to the `to`-th (one phase of a run); NaN when there are none.
   */
  percentile(p: number, from = 0, to = this.#samples.length): number {
    if (to <= from) return Number.NaN;
    const sorted = Float64Array.from(this.#samples.slice(from, to)).sort();
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank]!;
  }
}
