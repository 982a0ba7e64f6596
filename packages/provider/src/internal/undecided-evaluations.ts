import type { AuditLog } from '@flagstate/audit';
import type { Clock } from '@flagstate/core';
import {
  type FlagValue,
  type Logger,
  type OpenFeatureEventEmitter,
  ProviderEvents,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import { LRUCache } from 'lru-cache';
import type { UndecidedPolicy } from '../undecided-policy.js';
import type { EnforcedEvaluation } from './enforced-evaluation.js';
import { Suspensions, type UndecidedReason } from './suspensions.js';
import { undecided } from './undecided-resolution.js';

/** Subjects whose last served state the `hold` policy may keep them in, per provider. */
const LAST_SERVED_MAX = 100_000;
const POLICIES: readonly UndecidedPolicy[] = ['hold', 'default', 'targeting'];

/**
 * The provider's side of evaluations enforcement cannot decide: the policy's answer, the
 * evidence (metric, log, audit records), and the provider's health: PROVIDER_STALE from the
 * first store failure, PROVIDER_READY at the first store answer after it.
 */
export class UndecidedEvaluations {
  readonly #policy: UndecidedPolicy;
  readonly #suspensions: Suspensions;
  readonly #events: OpenFeatureEventEmitter;
  readonly #clock: Clock;
  /** Kept only for asynchronous stores (the ones that can fail): the steady path stays bare. */
  readonly #lastServed = new LRUCache<string, string>({ max: LAST_SERVED_MAX });
  /** The store failed and has not answered since. Read on every enforced evaluation. */
  stale = false;

  constructor(options: {
    readonly policy: UndecidedPolicy | undefined;
    readonly windowMs: number | undefined;
    readonly audit: AuditLog;
    readonly events: OpenFeatureEventEmitter;
    readonly clock: Clock;
    readonly logger: () => Logger;
  }) {
    const policy = options.policy ?? 'hold';
    if (!POLICIES.includes(policy)) {
      throw new TypeError(
        `whenUndecided must be "hold", "default" or "targeting", got ${JSON.stringify(policy)}`,
      );
    }
    const windowMs = options.windowMs ?? 10_000;
    if (!(windowMs > 0)) throw new RangeError(`suspensionWindowMs must be positive, got ${windowMs}`);
    this.#policy = policy;
    this.#events = options.events;
    this.#clock = options.clock;
    this.#suspensions = new Suspensions(options.audit, policy, windowMs, options.logger);
  }

  /** What a subject of an asynchronous store was served, for `hold`. */
  served(machine: string, subject: string, state: string): void {
    this.#lastServed.set(`${machine}\u0000${subject}`, state);
  }

  resolve<T extends FlagValue>(
    reason: UndecidedReason,
    evaluation: EnforcedEvaluation<T>,
    error?: unknown,
  ): ResolutionDetails<T> {
    const { machine, subject } = evaluation;
    const known = subject === undefined ? undefined : this.#lastServed.get(`${machine.id}\u0000${subject}`);
    const out = undecided(this.#policy, reason, evaluation, known);
    this.#suspensions.count(machine.id, reason, out.served, this.#clock.now(), error);
    if (reason === 'store_unavailable' && !this.stale) {
      this.stale = true;
      const why = error === undefined ? '' : `: ${error instanceof Error ? error.message : String(error)}`;
      this.#events.emit(ProviderEvents.Stale, {
        message: `state store unavailable, enforcement of machine "${machine.id}" suspended (whenUndecided: "${this.#policy}")${why}`,
      });
    }
    return out.resolution;
  }

  /** The store answered again: the suspension window is written, and the provider is ready. */
  recovered(): void {
    this.stale = false;
    this.#suspensions.flush();
    this.#events.emit(ProviderEvents.Ready, { message: 'state store available again: enforcement resumed' });
  }

  /** Writes the open window: at close. */
  flush(): void {
    this.#suspensions.flush();
  }
}
