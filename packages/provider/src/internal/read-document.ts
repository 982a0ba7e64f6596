import { FlagDocumentError } from '../flag-document-error.js';
import { FLAG_DOCUMENT_LIMITS } from '../flag-document-limits.js';
import type { FlagSourceContent } from '../sources/flag-source.js';
import { parseText } from './parse-text.js';

/**
 * The document a source gave, parsed when it is text (within the limits). Throws a
 * `FlagDocumentError` naming where the text fails, or when the document is not an object.
 */
export function readDocument(content: FlagSourceContent, source: string): Record<string, unknown> {
  let doc: unknown;
  if ('text' in content) {
    const parsed = parseText(content.text, FLAG_DOCUMENT_LIMITS.maxDepth);
    if ('issues' in parsed) throw new FlagDocumentError(source, parsed.issues);
    doc = parsed.value;
  } else {
    doc = content.document;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new FlagDocumentError(source, [{ path: '(document)', message: 'expected an object with "flags"' }]);
  }
  return doc as Record<string, unknown>;
}
