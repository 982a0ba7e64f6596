import type { Logger } from '@openfeature/server-sdk';

/**
 * Logs internal failures without flooding: the 1st, 2nd, 4th, 8th… occurrence of each kind,
 * with the running count, so a broken store shows up once, not once per evaluation.
 */
export class FailureLog {
  readonly counts = new Map<string, number>();

  report(logger: Logger | undefined, kind: string, error: unknown): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if ((n & (n - 1)) !== 0) return;
    const message = error instanceof Error ? error.message : String(error);
    try {
      logger?.error(`flagstate: ${kind} failed (${n} time${n === 1 ? '' : 's'} so far): ${message}`);
    } catch {
      // A logger that throws must not reach the evaluation either.
    }
  }

  total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }
}
