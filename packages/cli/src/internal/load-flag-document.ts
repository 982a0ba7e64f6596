import type { FlagDocument } from '@flagstate/provider';
import type { Io } from '../io.js';
import { locateSyntaxError } from './locate-syntax-error.js';
import { readTextFile } from './read-text-file.js';

/**
 * Reads and validates a flag document with the provider's own loader, so that the CLI accepts
 * exactly what the provider serves. Every problem is printed as `file: path: message` (a syntax
 * error as `file:line:col: message`) and `undefined` returned, so that the caller exits 1; an
 * unreadable file throws (exit 2).
 */
export async function loadFlagDocument(file: string, io: Io): Promise<FlagDocument | undefined> {
  const text = readTextFile(file);
  // Loaded on demand: the provider and flagd-core would slow every other command's start.
  const { FlagDocument, FlagDocumentError } = await import('@flagstate/provider');
  try {
    return FlagDocument.load({ text }, file);
  } catch (error) {
    if (!(error instanceof FlagDocumentError)) throw error;
    const [first] = error.issues;
    // A text that does not parse yields one issue on the whole document; say where instead.
    const located =
      error.issues.length === 1 && first?.path === '(document)' ? locateSyntaxError(file, text) : [];
    if (located.length > 0) for (const line of located) io.out(line);
    else for (const issue of error.issues) io.out(`${file}: ${issue.path}: ${issue.message}`);
    return undefined;
  }
}
