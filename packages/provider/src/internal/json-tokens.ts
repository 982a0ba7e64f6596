/** jsonc-parser's `SyntaxKind` and `ScanError` values: const enums, which isolated modules cannot import. */
export const JsonToken = Object.freeze({
  openBrace: 1,
  closeBrace: 2,
  openBracket: 3,
  closeBracket: 4,
  comma: 5,
  colon: 6,
  string: 10,
  unknown: 16,
  eof: 17,
  noError: 0,
});
