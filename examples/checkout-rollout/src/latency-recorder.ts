/** Evaluation times in milliseconds, kept whole so that percentiles are exact. */
export class LatencyRecorder {
  #samples: number[] = [];

  record(ms: number): void {
    this.#samples.push(ms);
  }

  get count(): number {
    return this.#samples.length;
  }

  /** The `p`-th percentile (0..100) by nearest rank; NaN when nothing was recorded. */
  percentile(p: number): number {
    if (this.#samples.length === 0) return Number.NaN;
    const sorted = Float64Array.from(this.#samples).sort();
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank]!;
  }
}
