import type { FlagDocument, FlagSourceContent } from '@flagstate/provider';
import type { Io } from '../io.js';
import { unreadable } from './unreadable.js';

/**
 * Reads and validates a flag document with the provider's own code: its `fileSource`
 * (the same size limit) and `FlagDocument.load` (the same parser, limits and checks), so that
 * the CLI accepts exactly what the provider serves. Every problem is printed as
 * `file: path: message`, as the provider words it (`file:line:column: path: message` when it
 * has a place in the text, as editors expect), and `undefined` returned, so that the caller
 * exits 1; a file that cannot be read throws (exit 2).
 */
export async function loadFlagDocument(file: string, io: Io): Promise<FlagDocument | undefined> {
  // Loaded on demand: the provider and flagd-core would slow every other command's start.
  const { fileSource, FlagDocument, FlagDocumentError, FlagDocumentReadError } = await import(
    '@flagstate/provider'
  );
  let content: FlagSourceContent;
  try {
    content = await fileSource(file).load();
  } catch (error) {
    // Over the size limit is the provider refusing the document: a failed check, not bad usage.
    if (error instanceof FlagDocumentReadError && error.code === 'FLAG_DOCUMENT_TOO_LARGE') {
      io.out(error.message);
      return undefined;
    }
    throw unreadable(file, error instanceof Error && error.cause !== undefined ? error.cause : error);
  }
  try {
    return FlagDocument.load(content, file);
  } catch (error) {
    if (!(error instanceof FlagDocumentError)) throw error;
    for (const issue of error.issues) io.out(`${where(file, issue)} ${issue.path}: ${issue.message}`);
    return undefined;
  }
}

function where(file: string, issue: { readonly line?: number; readonly column?: number }): string {
  return issue.line === undefined ? `${file}:` : `${file}:${issue.line}:${issue.column}:`;
}
