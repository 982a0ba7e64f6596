/** A place in a text, 1-based, as editors count it (columns in UTF-16 code units). */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** The position of a character offset. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** `line 3, column 18` */
export function describePosition(at: TextPosition): string {
  return `line ${at.line}, column ${at.column}`;
}
