import { FlagstateError } from '@flagstate/core';

/**
 * Thrown at construction by what needs `@opentelemetry/api-logs` (the OpenTelemetry logs sink,
 * the hook's `events: 'log'` or `'both'`) when that optional peer dependency is not installed.
 */
export class LogsApiMissingError extends FlagstateError {
  readonly code = 'LOGS_API_MISSING';

  constructor(what: string) {
    super(
      `${what} needs @opentelemetry/api-logs, an optional peer dependency of @flagstate/hook: npm install @opentelemetry/api-logs`,
    );
  }
}
