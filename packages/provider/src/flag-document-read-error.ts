import { FlagstateError } from '@flagstate/core';

/** `FLAG_DOCUMENT_UNREADABLE`: missing or unreadable; `FLAG_DOCUMENT_TOO_LARGE`: over `maxBytes`. */
export type FlagDocumentReadErrorCode = 'FLAG_DOCUMENT_UNREADABLE' | 'FLAG_DOCUMENT_TOO_LARGE';

/** A flag document that could not be read, so it was not parsed. The message names the source. */
export class FlagDocumentReadError extends FlagstateError {
  readonly code: FlagDocumentReadErrorCode;
  readonly source: string;

  constructor(code: FlagDocumentReadErrorCode, source: string, what: string, options?: ErrorOptions) {
    super(`${source}: ${what}`, options);
    this.code = code;
    this.source = source;
  }
}
