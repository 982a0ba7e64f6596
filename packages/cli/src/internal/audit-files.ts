import { closeSync, fstatSync, openSync } from 'node:fs';
import { readAuditLines } from '@flagstate/audit/internal';
import { unreadable } from './unreadable.js';

/**
 * Opens each file once, so that a missing or unreadable file (or a directory) is a usage
 * error (exit 2) before any work starts. Returns the total size in bytes.
 */
export function checkReadable(paths: readonly string[]): number {
  let bytes = 0;
  for (const path of paths) {
    try {
      const fd = openSync(path, 'r');
      try {
        const stat = fstatSync(fd);
        if (stat.isDirectory())
          throw Object.assign(new Error('is a directory'), { code: 'EISDIR', syscall: 'read' });
        bytes += stat.size;
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      throw unreadable(path, error);
    }
  }
  return bytes;
}

/**
 * The files ordered by their first record (its `@timestamp`, then `event.sequence`), rotated
 * ones first, so that what verify reports does not depend on the order of the arguments.
 * Only each file's first line is read.
 */
export function inRecordOrder(paths: readonly string[]): string[] {
  const keyed = paths.map((path) => {
    for (const { text } of readAuditLines([path])) {
      try {
        const r = JSON.parse(text);
        // Only a string and a number are taken: String() of an object whose own `toString` is
        // not a function (`{"toString":1}`) throws.
        const time = r?.['@timestamp'];
        const seq = r?.event?.sequence;
        return {
          path,
          time: typeof time === 'string' ? time : '\uffff',
          seq: typeof seq === 'number' && Number.isFinite(seq) ? seq : 0,
        };
      } catch {
        break;
      }
    }
    return { path, time: '\uffff', seq: 0 };
  });
  keyed.sort((a, b) =>
    a.time < b.time
      ? -1
      : a.time > b.time
        ? 1
        : a.seq - b.seq || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
  return keyed.map((k) => k.path);
}
