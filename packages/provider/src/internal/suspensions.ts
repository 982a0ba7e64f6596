import type { AuditLog } from '@flagstate/audit';
import { suspensionRecord } from '@flagstate/core/internal';
import { ATTR } from '@flagstate/hook';
import type { Logger } from '@openfeature/server-sdk';
import type { UndecidedPolicy } from '../undecided-policy.js';
import { providerCounter } from './provider-counter.js';

/** Why enforcement could not decide. */
export type UndecidedReason = 'store_unavailable' | 'subject_unusable';

interface Window {
  readonly machine: string;
  readonly reason: UndecidedReason;
  evaluations: number;
  readonly served: Record<string, number>;
  from: number;
  to: number;
  error: string | undefined;
}

/** `flagstate.enforcement.suspended`, on the hook's meter. */
const suspendedCounter = providerCounter(
  'flagstate.enforcement.suspended',
  'Evaluations of enforcing machines served without enforcement, by machine, reason and policy',
  '{evaluation}',
);

/**
 * Every evaluation that enforcement could not decide leaves evidence: a metric point, a log
 * line (the first of each machine and reason per window), and one `enforcement-suspended`
 * audit record per machine and reason per window, written when the window closes (every
 * `windowMs`, at recovery and at close). Only the counting runs per evaluation.
 */
export class Suspensions {
  readonly #audit: AuditLog;
  readonly #policy: UndecidedPolicy;
  readonly #windowMs: number;
  readonly #logger: () => Logger;
  readonly #windows = new Map<string, Window>();
  readonly #attributes = new Map<string, Readonly<Record<string, string>>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(audit: AuditLog, policy: UndecidedPolicy, windowMs: number, logger: () => Logger) {
    this.#audit = audit;
    this.#policy = policy;
    this.#windowMs = windowMs;
    this.#logger = logger;
  }

  /** One evaluation served `served` (a state, or `(default)`) without enforcement. */
  count(machine: string, reason: UndecidedReason, served: string, now: number, error?: unknown): void {
    const key = `${machine}\u0000${reason}`;
    let w = this.#windows.get(key);
    if (w === undefined) {
      w = { machine, reason, evaluations: 0, served: {}, from: now, to: now, error: undefined };
      this.#windows.set(key, w);
      this.#logger().warn(
        `flagstate: machine "${machine}": enforcement suspended (${reason}${error === undefined ? '' : `: ${message(error)}`}); policy "${this.#policy}" serves ${served === '(default)' ? "the caller's default" : `"${served}"`}; counted in flagstate.enforcement.suspended, and written to the audit stream every ${this.#windowMs} ms`,
      );
      this.#timer ??= setTimeout(() => this.flush(), this.#windowMs).unref();
    }
    w.evaluations++;
    w.served[served] = (w.served[served] ?? 0) + 1;
    w.to = now;
    if (error !== undefined) w.error = message(error);
    let attrs = this.#attributes.get(key);
    if (attrs === undefined) {
      attrs = Object.freeze({
        [ATTR.machine]: machine,
        [ATTR.changeReason]: reason,
        'flagstate.policy': this.#policy,
      });
      this.#attributes.set(key, attrs);
    }
    suspendedCounter().add(1, attrs);
  }

  /** Whether any store failure is counted in the open window. */
  get storeFailing(): boolean {
    for (const w of this.#windows.values()) if (w.reason === 'store_unavailable') return true;
    return false;
  }

  /** Writes one record per machine and reason for the window, and opens a new one. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#audit.closed) return;
    for (const w of this.#windows.values()) {
      this.#audit.append(
        suspensionRecord({
          machine: w.machine,
          reason: w.reason,
          policy: this.#policy,
          evaluations: w.evaluations,
          served: w.served,
          from: new Date(w.from).toISOString(),
          to: new Date(w.to).toISOString(),
          ...(w.error === undefined ? {} : { error: w.error }),
        }),
      );
    }
    this.#windows.clear();
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
