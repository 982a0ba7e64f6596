import { ErrorCode, ProviderFatalError } from '@openfeature/server-sdk';
import { FlagDocumentError } from '../flag-document-error.js';

/**
 * What a failed `initialize` emits and rejects with. It is fatal when nothing can make the
 * instance ready: the error says so already, or the source can never bring another document.
 * Otherwise the source is watched, and a good document makes the provider ready.
 */
export function initializeFailure(
  error: unknown,
  source: { readonly name: string; readonly canChange: boolean },
): {
  readonly thrown: unknown;
  readonly details: { readonly message: string; readonly errorCode: ErrorCode };
} {
  let message = error instanceof Error ? error.message : String(error);
  let thrown = error;
  if (!(error instanceof ProviderFatalError) && !source.canChange) {
    thrown = new ProviderFatalError(message, { cause: error });
    message += `\n(${source.name} cannot change: this provider cannot become ready)`;
  }
  const errorCode =
    thrown instanceof ProviderFatalError
      ? ErrorCode.PROVIDER_FATAL
      : error instanceof FlagDocumentError
        ? ErrorCode.PARSE_ERROR
        : ErrorCode.GENERAL;
  return { thrown, details: { message, errorCode } };
}
