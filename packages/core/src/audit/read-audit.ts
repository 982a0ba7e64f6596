import { readFileSync } from 'node:fs';
import type { AuditRecord } from './audit-record.js';

/** One line of an audit file: the parsed record, or why it could not be parsed. */
export interface AuditEntry {
  readonly record: unknown;
  readonly file?: string | undefined;
  /** 1-based line number in `file`. */
  readonly line?: number | undefined;
  readonly error?: string | undefined;
}

/** Parses NDJSON text; blank lines are skipped, unparsable ones kept with their error. */
export function parseAuditLines(text: string, file?: string): AuditEntry[] {
  const entries: AuditEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    try {
      entries.push({ record: JSON.parse(raw), file, line: i + 1 });
    } catch (error) {
      entries.push({ record: undefined, file, line: i + 1, error: `not JSON: ${(error as Error).message}` });
    }
  }
  return entries;
}

/** Reads audit files (as given, rotated ones included) into entries that name file and line. */
export function readAuditFiles(paths: readonly string[]): AuditEntry[] {
  return paths.flatMap((path) => parseAuditLines(readFileSync(path, 'utf8'), path));
}

/** Accepts records or entries, so that callers can pass what they have. */
export function toEntries(input: Iterable<AuditRecord | AuditEntry>): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (const item of input) {
    out.push(
      typeof item === 'object' && item !== null && '@timestamp' in item
        ? { record: item }
        : (item as AuditEntry),
    );
  }
  return out;
}
