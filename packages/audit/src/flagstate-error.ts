/**
 * The base of every error flagstate throws or rejects with, as OpenFeature's `OpenFeatureError`
 * is of its own: a stable `code` to branch on (`UPPER_SNAKE_CASE`, area first: `STORE_FULL`,
 * `FLAG_DOCUMENT_INVALID`), a message for people, and the `cause` when another error led to it.
 */
export abstract class FlagstateError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
