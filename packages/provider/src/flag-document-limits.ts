/**
 * Bounds on a flag document. The provider and `flagstate validate` (which loads documents
 * with the provider's own code) enforce the same ones.
 */
export interface FlagDocumentLimits {
  /** A `fileSource` refuses a larger file before reading it (its `maxBytes` option). */
  readonly maxBytes: number;
  /**
   * Deepest nesting of objects and arrays, the document itself being level 1: deeper ones are
   * refused while the text is read, before any recursive code (YAML's composer, schema
   * validation, JSON Logic) could overflow the stack.
   */
  readonly maxDepth: number;
}

export const FLAG_DOCUMENT_LIMITS: FlagDocumentLimits = Object.freeze({
  maxBytes: 4 * 1024 * 1024,
  maxDepth: 128,
});
