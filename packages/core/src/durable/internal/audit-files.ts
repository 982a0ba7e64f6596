import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { firstLineSync } from '@flagstate/audit/internal';

/** A record's place: its stream and sequence. */
export interface RecordId {
  readonly stream: string;
  readonly sequence: number;
}

/** The files of a rotating file sink at `path`, oldest first: `path.N` … `path.1`, then `path` (when not empty). */
export function auditFiles(path: string): string[] {
  const dir = dirname(path);
  const base = basename(path);
  const rotated = readdirSync(dir)
    .map((name) => (name.startsWith(`${base}.`) ? Number(name.slice(base.length + 1)) : Number.NaN))
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => b - a)
    .map((n) => join(dir, `${base}.${n}`));
  const current = existsSync(path) && statSync(path).size > 0 ? [path] : [];
  return [...rotated, ...current];
}

/** The place of a file's first record: how a file is known after rotation renamed it. */
export function firstRecordId(file: string): RecordId | undefined {
  const line = firstLineSync(file);
  if (line === undefined) return undefined;
  try {
    const r = JSON.parse(line) as { audit?: { stream?: unknown }; event?: { sequence?: unknown } };
    const stream = r?.audit?.stream;
    const sequence = r?.event?.sequence;
    return typeof stream === 'string' && Number.isInteger(sequence)
      ? { stream, sequence: sequence as number }
      : undefined;
  } catch {
    return undefined;
  }
}

export function sameRecordId(a: RecordId | undefined, b: RecordId): boolean {
  return a !== undefined && a.stream === b.stream && a.sequence === b.sequence;
}
