import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeAllSync } from '../internal/write-all-sync.js';
import type { AuditSink } from './audit-sink.js';
import { readFileEnd } from './internal/last-line.js';
import { resumePointOf } from './internal/resume-point-of.js';
import type { ResumePoint } from './resume-point.js';

/** 64 MiB: files that every tool reads in seconds, and few enough of them. */
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export interface FileSinkOptions {
  /**
   * Rotate when the file would grow past this many bytes: `audit.ndjson` becomes
   * `audit.ndjson.1`, `.1` becomes `.2`, and so on. The chain continues across files.
   * `Infinity` never rotates.
   * @default 67_108_864 (64 MiB)
   */
  readonly maxBytes?: number;
  /**
   * Rotated files kept; older ones are deleted. This is retention you choose.
   * @default undefined (keep every file)
   */
  readonly maxFiles?: number;
  /**
   * `never`: leave flushing to the OS (records survive a process crash, not a power loss);
   * `batch`: fsync after each batch; `always`: write and fsync record by record.
   * @default "never"
   */
  readonly fsync?: 'never' | 'batch' | 'always';
}

/**
 * NDJSON appended to a file, created with its directory if missing. Batches are written with
 * synchronous calls from the log's flush tick, off the evaluation path, as pino's
 * destination does; a batch that would cross `maxBytes` is split between files at a line end.
 */
export function fileSink(path: string, options: FileSinkOptions = {}): AuditSink {
  const { maxFiles, fsync = 'never' } = options;
  const maxBytes =
    options.maxBytes === Number.POSITIVE_INFINITY ? undefined : (options.maxBytes ?? DEFAULT_MAX_BYTES);
  if (maxBytes !== undefined && !(maxBytes > 0))
    throw new RangeError(`maxBytes must be positive, got ${maxBytes}`);
  if (maxFiles !== undefined && !(Number.isInteger(maxFiles) && maxFiles >= 1)) {
    throw new RangeError(`maxFiles must be a positive integer, got ${maxFiles}`);
  }
  let fd: number | undefined;
  let size = 0;

  const open = () => {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'a');
    size = fstatSync(fd).size;
    return fd;
  };

  const rotate = () => {
    if (fd !== undefined) {
      // The file being closed holds the first part of a batch that fsync promises durable.
      if (fsync !== 'never') fsyncSync(fd);
      closeSync(fd);
    }
    fd = undefined;
    const dir = dirname(path);
    const base = basename(path);
    const rotated = readdirSync(dir)
      .map((name) => (name.startsWith(`${base}.`) ? Number(name.slice(base.length + 1)) : Number.NaN))
      .filter((n) => Number.isInteger(n) && n > 0)
      .sort((a, b) => b - a);
    for (const n of rotated) {
      const from = join(dir, `${base}.${n}`);
      if (maxFiles !== undefined && n >= maxFiles) unlinkSync(from);
      else renameSync(from, join(dir, `${base}.${n + 1}`));
    }
    renameSync(path, join(dir, `${base}.1`));
  };

  const append = (text: string, bytes: number) => {
    let target = fd ?? open();
    if (maxBytes !== undefined && size > 0 && size + bytes > maxBytes) {
      rotate();
      target = open();
    }
    writeAllSync(target, text);
    size += bytes;
    return target;
  };

  // The lines of a batch written before a failure part-way through it (a rotation that could
  // not rename, say): the log retries the whole batch, and they must not be written twice.
  let carried = '';

  const writeChunk = (whole: string) => {
    const chunk = carried !== '' && whole.startsWith(carried) ? whole.slice(carried.length) : whole;
    carried = '';
    const bytes = Buffer.byteLength(chunk);
    let target: number;
    if (maxBytes === undefined || size + bytes <= maxBytes) target = append(chunk, bytes);
    else {
      // The batch crosses the limit: write it in runs of whole lines, so that each file stays
      // within maxBytes (a single longer line gets a file of its own).
      let done = 0;
      let start = 0;
      let runBytes = 0;
      target = fd ?? open();
      try {
        while (start < chunk.length) {
          const end = chunk.indexOf('\n', start) + 1 || chunk.length;
          const lineBytes = Buffer.byteLength(chunk.slice(start, end));
          if (runBytes > 0 && size + runBytes + lineBytes > maxBytes) {
            target = append(chunk.slice(done, start), runBytes);
            done = start;
            runBytes = 0;
          }
          runBytes += lineBytes;
          start = end;
        }
        if (runBytes > 0) target = append(chunk.slice(done), runBytes);
      } catch (error) {
        carried = whole.slice(0, whole.length - chunk.length) + chunk.slice(0, done);
        throw error;
      }
    }
    if (fsync !== 'never') fsyncSync(target);
  };

  const close = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };

  return {
    name: `file:${path}`,
    ...(fsync === 'always' ? { maxBatch: 1 } : {}),
    write: writeChunk,
    writeSync: writeChunk,
    sync: () => {
      if (fd !== undefined) fsyncSync(fd);
    },
    resume: () => resumeFrom(path),
    close,
    closeSync: close,
  };
}

/**
 * Where the stream in these files ended: the last record of the newest file that has one (a
 * rotation leaves the current file absent or empty). A torn last line is cut away first.
 */
function resumeFrom(path: string): ResumePoint | undefined {
  let torn = 0;
  for (const file of [path, `${path}.1`]) {
    if (!existsSync(file) || statSync(file).size === 0) continue;
    const end = readFileEnd(file, true);
    torn += end.tornBytes;
    if (end.lastLine === undefined) continue; // only a fragment, now cut away
    const found = resumePointOf(end.lastLine, torn, file);
    if ('problem' in found) throw new Error(`${file}: cannot continue its audit stream: ${found.problem}`);
    return found.point;
  }
  return undefined;
}
