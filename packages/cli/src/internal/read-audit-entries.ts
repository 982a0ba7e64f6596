import { type AuditEntry, readAuditFiles } from '@flagstate/core';
import { isFileError, unreadable } from './unreadable.js';

/** `readAuditFiles`, with an unreadable file reported as a usage error (exit 2). */
export function readAuditEntries(paths: readonly string[]): AuditEntry[] {
  try {
    return readAuditFiles(paths);
  } catch (error) {
    if (isFileError(error)) throw unreadable(error.path ?? paths.join(', '), error);
    throw error;
  }
}
