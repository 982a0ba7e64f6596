import { UsageError } from '../usage-error.js';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/** Whether `error` is a Node system error from a file operation, such as ENOENT. */
export function isFileError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error
  );
}

/** Turns a failed read of `path` into the usage error that exits 2, with a short reason. */
export function unreadable(path: string, error: unknown): UsageError {
  const code = isFileError(error) ? error.code : undefined;
  const reason = (code && REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
  return new UsageError(`cannot read ${path}: ${reason}`, { cause: error });
}
