import type { AuditLog } from '@flagstate/audit';
import type {
  Clock,
  MachineDocumentInput,
  MachineSet,
  PseudonymizeOptions,
  StateStore,
} from '@flagstate/core';
import type { Logger } from '@openfeature/server-sdk';

export interface StateTransitionHookOptions {
  /**
   * The machines: a parsed `MachineSet`, or a document with a `machines` section (validated
   * here; a bad one throws `MachineDefinitionError`).
   */
  readonly machines: MachineSet | MachineDocumentInput | Readonly<Record<string, unknown>>;
  /**
   * Where subjects' states are kept.
   * @default new LruStateStore() (in process, 100,000 subjects per machine)
   */
  readonly store?: StateStore;
  /**
   * The audit stream the records go to. It owns the records' `service.name` and
   * `data_stream.namespace`: `createAuditLog({ service, namespace })`.
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
   * Where failures off the evaluation path (audit sinks, metric collection) are logged, and
   * failures during an evaluation that brings no logger. Failures during an evaluation go to
   * its `hookContext.logger`.
   * @default the logger of the last evaluation seen
   */
  readonly logger?: Logger;
  /**
   * Fail evaluations of machine-bound flags that have no subject with
   * `TARGETING_KEY_MISSING` (the caller gets its default value), instead of counting them.
   * @default false
   */
  readonly strictSubject?: boolean;
  /**
   * Longest subject tracked, in UTF-16 code units. A longer one is no subject (counted and
   * logged once per machine, never truncated: two long ids must not become one subject).
   * @default 256
   */
  readonly maxSubjectLength?: number;
  /**
   * Time source for state records (bake times, dwell, `@timestamp`).
   * @default Date.now
   */
  readonly clock?: Clock;
  /**
   * How each state record's `flagstate.state_transition` event is emitted, with the
   * attributes of `flagstate.transitions`:
   * - `span`: a span event on the active span (none outside a span);
   * - `log`: a log-based event through the OpenTelemetry Logs API (the log record's
   *   `eventName`; the active span, if any, correlates it), inside a span or not. OpenTelemetry
   *   is deprecating span events for these;
   * - `both`.
   *
   * `log` and `both` need the optional peer `@opentelemetry/api-logs` (the constructor throws
   * `LogsApiMissingError` without it) and emit nothing until a logs SDK is registered. The
   * default needs nothing beyond `@opentelemetry/api`.
   * @default "span"
   */
  readonly events?: 'span' | 'log' | 'both';
}
