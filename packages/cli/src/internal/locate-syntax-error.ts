import { parseDocument } from 'yaml';

/**
 * Where the text fails to parse, as `file:line:col: message` lines; empty when it parses.
 * Only consulted once the provider has rejected the text, to point at the spot: the choice
 * of JSON or YAML follows the provider's (by content, not by file name), so that the error
 * shown is the one it met.
 */
export function locateSyntaxError(file: string, text: string): string[] {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return yamlErrors(file, text);
  const json = jsonError(file, text);
  // YAML's flow style also starts with "{": the provider reports JSON's error only if YAML fails too.
  return json === undefined || yamlErrors(file, text).length === 0 ? [] : [json];
}

function yamlErrors(file: string, text: string): string[] {
  return parseDocument(text).errors.map((e) => {
    // The pretty message repeats the position and adds a code frame; the prefix already says where.
    const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const at = e.linePos?.[0];
    return at ? `${file}:${at.line}:${at.col}: ${message}` : `${file}: ${message}`;
  });
}

function jsonError(file: string, text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    // V8 names a character offset ("at position 42"); people and editors want line and column.
    const position = /at position (\d+)/.exec(message);
    if (!position) return `${file}: ${message}`;
    const { line, col } = lineAndColumn(text, Number(position[1]));
    const what = message.replace(/ in JSON at position \d+.*$/, '').replace(/ at position \d+.*$/, '');
    return `${file}:${line}:${col}: ${what}`;
  }
}

function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, col: offset - lineStart + 1 };
}
