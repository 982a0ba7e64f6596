import { type EventDetails, OpenFeature, ProviderEvents } from '@openfeature/server-sdk';

/** A reload as the application sees it through OpenFeature's events. */
export type ReloadOutcome =
  | { readonly kind: 'changed'; readonly flagsChanged: readonly string[] }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'timeout' };

/**
 * Listens to the provider's events through the OpenFeature API (as an application would) and
 * lets the rollout script wait for the outcome of the edit it just made. The handlers are
 * registered once, while the provider is READY, so that none of them runs at registration.
 */
export class ProviderEventLog {
  readonly errors: string[] = [];
  recoveries = 0;
  #waiter: ((outcome: ReloadOutcome) => void) | undefined;

  readonly #onChanged = (details?: EventDetails) => {
    const flags: unknown = details?.flagsChanged;
    this.#settle({ kind: 'changed', flagsChanged: Array.isArray(flags) ? flags.map(String) : [] });
  };
  readonly #onError = (details?: EventDetails) => {
    const message = details?.message ?? '(no message)';
    this.errors.push(message);
    this.#settle({ kind: 'error', message });
  };
  readonly #onReady = () => {
    this.recoveries++;
  };

  constructor() {
    OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, this.#onChanged);
    OpenFeature.addHandler(ProviderEvents.Error, this.#onError);
    // Registered while READY, this runs once at once: that call is not a recovery.
    OpenFeature.addHandler(ProviderEvents.Ready, this.#onReady);
    this.recoveries = 0;
  }

  /** Resolves with the next configuration change or error, or `timeout`. Call it before the edit. */
  next(timeoutMs: number): Promise<ReloadOutcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#settle({ kind: 'timeout' }), timeoutMs);
      this.#waiter = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
    });
  }

  dispose(): void {
    OpenFeature.removeHandler(ProviderEvents.ConfigurationChanged, this.#onChanged);
    OpenFeature.removeHandler(ProviderEvents.Error, this.#onError);
    OpenFeature.removeHandler(ProviderEvents.Ready, this.#onReady);
  }

  #settle(outcome: ReloadOutcome): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.(outcome);
  }
}
