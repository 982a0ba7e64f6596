import type { AuditLog, Clock, PseudonymizeOptions, StateStore } from '@flagstate/core';
import type { Logger } from '@openfeature/server-sdk';
import type { FlagSource } from './sources/flag-source.js';

export interface StateMachineProviderOptions {
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
  /** @default undefined (raw subject ids in records) */
  readonly pseudonymize?: PseudonymizeOptions;
  /** @default [] (no labels) */
  readonly labels?: readonly string[];
  /** @default process.env.OTEL_SERVICE_NAME, else "unknown_service:node" */
  readonly service?: string;
  /** @default "default" */
  readonly namespace?: string;
  /** @default the evaluation's logger */
  readonly logger?: Logger;
  /**
   * Time source for bake times and records.
   * @default Date.now
   */
  readonly clock?: Clock;
}
