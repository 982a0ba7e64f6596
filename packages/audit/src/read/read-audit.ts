import { fileLines } from './internal/file-lines.js';

/** One line of an audit file: the parsed record, or why it could not be parsed. */
export interface AuditEntry {
  readonly record: unknown;
  readonly file?: string | undefined;
  /** 1-based line number in `file`. */
  readonly line?: number | undefined;
  readonly error?: string | undefined;
}

/** One line of an audit file as read, not parsed: what `verifyAudit` checks fastest. */
export interface AuditLine {
  readonly text: string;
  readonly file?: string | undefined;
  /** 1-based line number in `file`. */
  readonly line?: number | undefined;
  /** Why the line was not read (it is longer than `maxLineBytes`); `text` is then empty. */
  readonly error?: string | undefined;
}

export interface ReadAuditOptions {
  /** Bytes read from a file at a time. @default 1048576 (1 MiB) */
  readonly chunkBytes?: number;
  /** A longer line is skipped, reported as an error, and never held in memory. @default 67108864 (64 MiB) */
  readonly maxLineBytes?: number;
}

/** Parses NDJSON text; blank lines are skipped, unparsable ones kept with their error. */
export function parseAuditLines(text: string, file?: string): AuditEntry[] {
  const entries: AuditEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw !== '') entries.push(parseLine({ text: raw, file, line: i + 1 }));
  }
  return entries;
}

/**
 * The non-blank lines of audit files, in the order given and each file's lines in order,
 * read in chunks: memory does not grow with the files. Each iteration reads the files again,
 * so the result can be passed to anything that reads its input twice. A file that cannot be
 * opened throws (a Node error with its `code` and `path`) when iteration reaches it.
 */
export function readAuditLines(
  paths: readonly string[],
  options: ReadAuditOptions = {},
): Iterable<AuditLine> {
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  const maxLineBytes = options.maxLineBytes ?? 64 * 1024 * 1024;
  if (!(Number.isInteger(chunkBytes) && chunkBytes > 0))
    throw new RangeError(`chunkBytes must be a positive integer, got ${chunkBytes}`);
  if (!(maxLineBytes > 0)) throw new RangeError(`maxLineBytes must be positive, got ${maxLineBytes}`);
  return {
    *[Symbol.iterator]() {
      for (const file of paths) {
        for (const l of fileLines(file, { chunkBytes, maxLineBytes })) {
          if ('tooLong' in l) {
            yield {
              text: '',
              file,
              line: l.line,
              error: `line is ${l.tooLong} bytes, longer than ${maxLineBytes}: not read`,
            };
            continue;
          }
          const text = l.text.trim();
          if (text !== '') yield { text, file, line: l.line };
        }
      }
    },
  };
}

/** `readAuditLines`, each line parsed: entries that name file and line, in memory one at a time. */
export function readAuditEntries(
  paths: readonly string[],
  options: ReadAuditOptions = {},
): Iterable<AuditEntry> {
  const lines = readAuditLines(paths, options);
  return {
    *[Symbol.iterator]() {
      for (const l of lines) yield parseLine(l);
    },
  };
}

/** Reads audit files (as given, rotated ones included) into an array of entries. */
export function readAuditFiles(paths: readonly string[]): AuditEntry[] {
  return Array.from(readAuditEntries(paths));
}

function parseLine(l: AuditLine): AuditEntry {
  const { text, file, line } = l;
  if (l.error !== undefined) return { record: undefined, file, line, error: l.error };
  try {
    return { record: JSON.parse(text), file, line };
  } catch (error) {
    return { record: undefined, file, line, error: `not JSON: ${(error as Error).message}` };
  }
}
