/** A transition guard: a boolean flag of the same document, or JSON Logic over the context. */
export type Guard =
  | { readonly kind: 'flag'; readonly flag: string }
  | { readonly kind: 'logic'; readonly rule: Readonly<Record<string, unknown>> };

/** One allowed move. A `"*"` or list `from` in the document expands to one of these per source. */
export interface Transition {
  readonly from: string;
  readonly to: string;
  /** The declared name, or `from->to` when none was given. */
  readonly name: string;
  readonly guard: Guard | undefined;
  /** Index of the declaring entry in the document's `transitions`. */
  readonly index: number;
}
