import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { readTextFile } from './read-text-file.js';

/** A flag document read from disk, or the syntax errors that stopped it, as `file:line:col: message`. */
export type ReadDocumentResult =
  | { readonly ok: true; readonly doc: unknown }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Reads a flag document: YAML for `.yaml`/`.yml`, JSON otherwise. A syntax error is a failed
 * check (exit 1), reported with its line and column; an unreadable file throws a usage error.
 */
export function readDocument(file: string): ReadDocumentResult {
  // Editors on Windows may start a file with a byte-order mark, which JSON.parse rejects.
  const text = readTextFile(file).replace(/^\uFEFF/, '');
  const ext = extname(file).toLowerCase();
  return ext === '.yaml' || ext === '.yml' ? readYaml(file, text) : readJson(file, text);
}

function readYaml(file: string, text: string): ReadDocumentResult {
  const doc = parseDocument(text);
  if (doc.errors.length === 0) return { ok: true, doc: doc.toJS() };
  return {
    ok: false,
    errors: doc.errors.map((e) => {
      // The pretty message repeats the position and adds a code frame; the prefix already says where.
      const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      const at = e.linePos?.[0];
      return at ? `${file}:${at.line}:${at.col}: ${message}` : `${file}: ${message}`;
    }),
  };
}

function readJson(file: string, text: string): ReadDocumentResult {
  try {
    return { ok: true, doc: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    // V8 names a character offset ("at position 42"); people and editors want line and column.
    const position = /at position (\d+)/.exec(message);
    if (!position) return { ok: false, errors: [`${file}: ${message}`] };
    const { line, col } = lineAndColumn(text, Number(position[1]));
    const what = message.replace(/ in JSON at position \d+.*$/, '').replace(/ at position \d+.*$/, '');
    return { ok: false, errors: [`${file}:${line}:${col}: ${what}`] };
  }
}

function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, col: offset - lineStart + 1 };
}
