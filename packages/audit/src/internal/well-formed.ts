/**
 * The string with any lone UTF-16 surrogate replaced by U+FFFD. RFC 8785 canonical JSON is
 * defined on I-JSON, which forbids them: a record must be hashable by any JCS implementation.
 */
export function wellFormed(value: string): string {
  return value.isWellFormed() ? value : value.toWellFormed();
}
