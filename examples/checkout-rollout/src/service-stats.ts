import { LatencyRecorder } from './latency-recorder.js';

/** What the checkout endpoint served, counted inside the service. */
export class ServiceStats {
  requests = 0;
  /** Evaluations that came back with an error code (served the default). */
  errors = 0;
  /** Evaluations per flag document revision being served when they ran. */
  readonly byRevision = new Map<string, number>();
  /** Evaluations per enforcement decision: `as-requested`, or the provider's held reason. */
  readonly byDecision = new Map<string, number>();
  /** Time of the flag evaluation alone, inside the request handler. */
  readonly evaluation = new LatencyRecorder();

  count(revision: string, decision: string, failed: boolean, evaluationMs: number): void {
    this.requests++;
    if (failed) this.errors++;
    this.byRevision.set(revision, (this.byRevision.get(revision) ?? 0) + 1);
    this.byDecision.set(decision, (this.byDecision.get(decision) ?? 0) + 1);
    this.evaluation.record(evaluationMs);
  }
}
