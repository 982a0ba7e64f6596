import type { AuditLog, StateStore } from '@flagstate/core';
import type { StateTransitionHookOptions } from '@flagstate/hook';
import type { FlagSource } from './sources/flag-source.js';

/**
 * The provider's options: its source, plus the options of the StateTransitionHook it
 * registers (`pseudonymize`, `labels`, `service`, `namespace`, `logger`, `clock`).
 */
export interface StateMachineProviderOptions
  extends Omit<StateTransitionHookOptions, 'machines' | 'store' | 'audit' | 'strictSubject'> {
  /**
   * The flag document: a `FileFlagSource`, a `MemoryFlagSource`, a document object, or its
   * JSON/YAML text.
   */
  readonly source: FlagSource | string | object;
  /**
   * Where subjects' states are kept; shared with the provider's hook.
   * @default new LruStateStore()
   */
  readonly store?: StateStore;
  /**
   * The audit log the provider's hook writes to; a log the provider creates is closed by `onClose`.
   * @default createAuditLog() (NDJSON on stdout)
   */
  readonly audit?: AuditLog;
}
