import type { AuditLog, AuditLogOptions, AuditSink } from '@flagstate/audit';
import type { Clock, StateStore } from '@flagstate/core';
import type { Client } from '@openfeature/server-sdk';

export interface SetupOptions {
  /** Where the setup's flagstate writes its records. */
  readonly audit: AuditLog;
  /**
   * Wraps the setup's own store, e.g. in `racingStore` so that concurrent evaluations of one
   * subject interleave between read and write whatever the store.
   * @default undefined (the store as it is)
   */
  readonly wrapStore?: (store: StateStore) => StateStore;
  /** The time source of records and bake times. @default the system clock */
  readonly clock?: Clock;
  /** `enforce` needs a setup that can hold subjects back (`canHold`). @default "audit" */
  readonly enforcement?: 'audit' | 'enforce';
  /**
   * For a setup that makes its own audit log (`Harness.audit`): the sinks and options that
   * log must have too, so that the contract reads every record it writes.
   */
  readonly sinks?: readonly AuditSink[];
  readonly auditOptions?: Omit<AuditLogOptions, 'sinks'>;
}

/** One wired-up flagstate instance a contract drives. */
export interface Harness {
  /** An OpenFeature client whose evaluations of flag `checkout` flagstate tracks. */
  readonly client: Client;
  /** The store flagstate writes (wrapped, when asked), for snapshots. */
  readonly store: StateStore;
  /** The setup's own audit log, when it makes one (`SetupOptions.audit` then goes unused). */
  readonly audit?: AuditLog;
  /** `feature_flag.provider.name` its records carry. */
  readonly providerName: string;
  /** Changes targeting: each subject in `assign` is served that state, everyone else `fallback`. */
  retarget(assign: ReadonlyMap<string, string>, fallback?: string): Promise<void>;
  /** Replaces the machine's definition, e.g. a version bump with migrations. */
  redefine(machine: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/**
 * A way to run flagstate that the contracts must hold for. Adding a setup is one file that
 * exports one of these, listed in `setups/index.ts`; `test/contracts.test.ts` runs every
 * contract against every setup.
 */
export interface ContractSetup {
  readonly name: string;
  /** Whether the setup can hold a subject back (only the flagstate provider in enforce mode). */
  readonly canHold: boolean;
  create(options: SetupOptions): Promise<Harness>;
  /** How the setup survives a restart, when it claims durability (contract 6). */
  readonly restart?: RestartSupport;
  /** Why it does not claim durability, when it does not. */
  readonly notDurable?: string;
}

/** A harness that keeps its state and audit files in a directory, across restarts. */
export interface DurableHarness extends Harness {
  /** Its audit files, oldest first, as `flagstate verify` is given them. */
  auditFiles(): string[];
  /** Writes what is queued: what a crash after the last batch leaves on disk. */
  flushSync(): void;
}

export interface RestartSupport {
  /** Starts flagstate on `dir`; called again on the same directory after a stop. */
  open(
    dir: string,
    options: { readonly clock?: Clock; readonly enforcement?: 'audit' | 'enforce' },
  ): Promise<DurableHarness>;
}
