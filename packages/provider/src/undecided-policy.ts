/**
 * What an enforcing machine serves when enforcement cannot decide: the store failed or timed
 * out, or the evaluation has no usable subject.
 * - `hold`: the state this provider last served the subject (no move at all); a subject it
 *   has not served, or no subject, gets the caller's default value (reason `ERROR`).
 * - `default`: the caller's default value (reason `ERROR`), always.
 * - `targeting`: targeting's answer, unenforced: fail open, by choice.
 */
export type UndecidedPolicy = 'hold' | 'default' | 'targeting';
