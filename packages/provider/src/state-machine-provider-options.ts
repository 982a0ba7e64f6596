import type { AuditLog } from '@flagstate/audit';
import type { DurableStateOptions, StateStore } from '@flagstate/core';
import type { StateTransitionHookOptions } from '@flagstate/hook';
import type { FlagSource } from './sources/flag-source.js';
import type { UndecidedPolicy } from './undecided-policy.js';

/**
 * The provider's options: its source, plus the options of the StateTransitionHook it
 * registers (`pseudonymize`, `labels`, `logger`, `clock`, `maxSubjectLength`). The records'
 * `service.name` and namespace are the audit log's: `createAuditLog({ service })`, or `durable: { dir, service }`.
 */
export interface StateMachineProviderOptions
  extends Omit<StateTransitionHookOptions, 'machines' | 'store' | 'audit' | 'strictSubject'> {
  /**
   * The flag document: a `fileSource(path)`, a `memorySource(document)`, a document object, or its
   * JSON/YAML text.
   */
  readonly source: FlagSource | string | object;
  /**
   * Where subjects' states are kept; shared with the provider's hook. The default keeps
   * 100,000 subjects per machine and then refuses new ones rather than forget a known one.
   * @default new LruStateStore({ whenFull: 'refuse' })
   */
  readonly store?: StateStore;
  /**
   * Keep every subject's state across restarts and crashes: the directory (or the options of
   * `openDurableState`) of the audit files and the state snapshot, from which the store is
   * rebuilt at start. It gives the provider its store and audit log (so not with `store` or
   * `audit`), and `onClose` closes it. See docs/durability.md.
   * @default undefined (states live in this process only)
   */
  readonly durable?: string | DurableStateOptions;
  /**
   * What an enforcing machine serves when enforcement cannot decide (the store failed or timed
   * out, or the evaluation has no usable subject); see docs/enforcement.md. Whatever the policy,
   * the provider emits PROVIDER_STALE while the store fails and PROVIDER_READY when it answers
   * again, counts `flagstate.enforcement.suspended`, logs the first case per machine and
   * window, and writes an `enforcement-suspended` audit record per machine and window.
   * @default "hold" (the state last served, else the caller's default)
   */
  readonly whenUndecided?: UndecidedPolicy;
  /** The window of `enforcement-suspended` records, in milliseconds. @default 10_000 */
  readonly suspensionWindowMs?: number;
  /**
   * The audit log the provider's hook writes to; a log the provider creates is closed by `onClose`.
   * @default createAuditLog() (NDJSON on stdout)
   */
  readonly audit?: AuditLog;
}
