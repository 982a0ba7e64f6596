import { createRequire } from 'node:module';
import type { Logger, LoggerProvider } from '@opentelemetry/api-logs';
import { LogsApiMissingError } from '../logs-api-missing-error.js';

/** What the hook uses of `@opentelemetry/api-logs`. */
interface LogsApi {
  readonly logs: { getLoggerProvider(): LoggerProvider };
}

let loaded: LogsApi | null | undefined;

/**
 * `@opentelemetry/api-logs`, an optional peer dependency, loaded the first time a feature that
 * needs it is configured, so that `@flagstate/hook` itself loads without it. Its globals are
 * shared by all of its copies (ESM and CommonJS alike), so the SDK the user registers is the
 * one found.
 */
function logsApi(): LogsApi | undefined {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('@opentelemetry/api-logs') as LogsApi;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/**
 * A logger of the global LoggerProvider, looked up again whenever that provider changes: a
 * no-op until an SDK is registered, and an SDK registered later is used from its next record.
 */
export class GlobalLogger {
  readonly #api: LogsApi;
  readonly #name: string;
  #provider: LoggerProvider | undefined;
  #logger: Logger | undefined;

  /** Throws `LogsApiMissingError`, naming `what`, when `@opentelemetry/api-logs` is absent. */
  constructor(name: string, what: string) {
    const api = logsApi();
    if (api === undefined) throw new LogsApiMissingError(what);
    this.#api = api;
    this.#name = name;
  }

  get(): Logger {
    const provider = this.#api.logs.getLoggerProvider();
    if (provider !== this.#provider || this.#logger === undefined) {
      this.#provider = provider;
      this.#logger = provider.getLogger(this.#name);
    }
    return this.#logger;
  }
}
