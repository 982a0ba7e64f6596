import type { AuditLog, Clock, MachineSet, PseudonymizeOptions, StateStore } from '@flagstate/core';
import type { Logger } from '@openfeature/server-sdk';

export interface StateTransitionHookOptions {
  /** The machines: a parsed `MachineSet`, or a document with a `machines` section. */
  readonly machines: MachineSet | unknown;
  /**
   * Where subjects' states are kept.
   * @default new LruStateStore() (in process, 100,000 subjects per machine)
   */
  readonly store?: StateStore;
  /**
   * The audit stream the records go to.
   * @default createAuditLog() (NDJSON on stdout)
   */
  readonly audit?: AuditLog;
  /**
   * Replace subject ids by an HMAC-SHA-256 under this key in records.
   * @default undefined (raw ids)
   */
  readonly pseudonymize?: PseudonymizeOptions;
  /**
   * Context attributes copied into the records' `labels`.
   * @default [] (none)
   */
  readonly labels?: readonly string[];
  /**
   * ECS `service.name` of the records.
   * @default process.env.OTEL_SERVICE_NAME, else "unknown_service:node"
   */
  readonly service?: string;
  /**
   * `data_stream.namespace` of the records.
   * @default "default"
   */
  readonly namespace?: string;
  /**
   * Where internal failures are logged when the evaluation brings no logger.
   * @default the evaluation's `hookContext.logger`
   */
  readonly logger?: Logger;
  /**
   * Fail evaluations of machine-bound flags that have no subject with
   * `TARGETING_KEY_MISSING` (the caller gets its default value), instead of counting them.
   * @default false
   */
  readonly strictSubject?: boolean;
  /**
   * Time source for state records (bake times, dwell, `@timestamp`).
   * @default Date.now
   */
  readonly clock?: Clock;
}
