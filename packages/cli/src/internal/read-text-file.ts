import { readFileSync } from 'node:fs';
import { unreadable } from './unreadable.js';

/** Reads a UTF-8 file; a missing or unreadable file is a usage error (exit 2), not a failed check. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw unreadable(path, error);
  }
}
