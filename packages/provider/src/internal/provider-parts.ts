import { type AuditLog, createAuditLog } from '@flagstate/audit';
import {
  type DurableState,
  type MachineSet,
  openDurableState,
  type StateStore,
  systemClock,
} from '@flagstate/core';
import { StateTransitionHook } from '@flagstate/hook';
import type { Logger, OpenFeatureEventEmitter } from '@openfeature/server-sdk';
import type { StateMachineProviderOptions } from '../state-machine-provider-options.js';
import { UndecidedEvaluations } from './undecided-evaluations.js';

/**
 * What one initialisation of the provider writes through: the durable setup, the audit log,
 * the hook that writes it, and the evidence of undecided evaluations. Parts the provider
 * owns (its default log, `durable`) are closed by `onClose` and opened anew by the next
 * `initialize`; a log the caller gave is the caller's and lasts across them.
 */
export interface ProviderParts {
  readonly durable: DurableState | undefined;
  readonly store: StateStore;
  readonly audit: AuditLog;
  /** Whether `onClose` closes `audit` (and `durable`): the provider made them. */
  readonly owned: boolean;
  readonly hook: StateTransitionHook;
  readonly hooks: StateTransitionHook[];
  readonly undecided: UndecidedEvaluations;
}

export interface PartsContext {
  readonly options: StateMachineProviderOptions;
  /** The store when not `durable`: the caller's, or the default one, kept across initialisations. */
  readonly store: StateStore | undefined;
  readonly machines: MachineSet;
  readonly events: OpenFeatureEventEmitter;
  readonly logger: () => Logger;
}

export function openParts({ options, store, machines, events, logger }: PartsContext): ProviderParts {
  const durable = openDurable(options);
  const audit = durable?.audit ?? options.audit ?? createAuditLog();
  const { source: _source, store: _store, durable: _durable, audit: _audit, ...hookOptions } = options;
  const partsStore = durable?.store ?? store!;
  const clock = options.clock ?? systemClock;
  const hook = new StateTransitionHook({ ...hookOptions, audit, machines, store: partsStore, clock });
  const undecided = new UndecidedEvaluations({
    policy: options.whenUndecided,
    windowMs: options.suspensionWindowMs,
    audit,
    events,
    clock,
    logger,
  });
  return {
    durable,
    store: partsStore,
    audit,
    owned: options.audit === undefined,
    hook,
    hooks: [hook],
    undecided,
  };
}

/** Closes what the provider owns; a given log is flushed, so that closing loses nothing. */
export async function closeParts(parts: ProviderParts): Promise<void> {
  parts.undecided.flush();
  if (parts.durable !== undefined) await parts.durable.close();
  else if (parts.owned) await parts.audit.close();
  else if (!parts.audit.closed) await parts.audit.flush();
}

/** The durable setup the options ask for, checked against options it cannot go with. */
function openDurable(options: StateMachineProviderOptions): DurableState | undefined {
  const { durable } = options;
  if (durable === undefined) return undefined;
  for (const key of ['store', 'audit'] as const) {
    if (options[key] !== undefined) {
      throw new TypeError(`durable gives the provider its ${key}: pass one or the other, not both`);
    }
  }
  if (options.pseudonymize !== undefined) {
    // Records then hold pseudonyms, from which the store (keyed by raw subjects) cannot be rebuilt.
    throw new TypeError(
      'durable cannot be combined with pseudonymize yet: the store could not be rebuilt from pseudonymised records',
    );
  }
  return openDurableState(typeof durable === 'string' ? { dir: durable } : durable);
}
