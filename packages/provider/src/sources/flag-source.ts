/** A flag document as a source gives it: text (JSON or YAML) or an already parsed object. */
export type FlagSourceContent = { readonly text: string } | { readonly document: unknown };

/**
 * Where the provider's flag document comes from. `load` reads it now; `watch` reports each
 * distinct new content (or why it could not be read) until the returned function is called.
 */
export interface FlagSource {
  /** Names the document in error messages, e.g. its path. */
  readonly name: string;
  load(): Promise<FlagSourceContent>;
  watch?(listener: (content: FlagSourceContent | Error) => void): () => void;
}
