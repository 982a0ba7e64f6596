import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditRecord, createAuditLog, fileSink, hashRecord } from '@flagstate/audit';
import { stateChangeDraft } from './state-change-draft.js';

/** A fresh directory for one test's audit files. */
export const scratchDir = () => mkdtempSync(join(tmpdir(), 'flagstate-lifetimes-'));

async function write(path: string, n: number, prefix: string): Promise<string> {
  const log = createAuditLog({ sinks: [fileSink(path)], checkpointEvery: 4 });
  for (let i = 0; i < n; i++)
    log.append(
      stateChangeDraft({ machine: 'm', subject: `${prefix}${i}`, to: 'a', subjectVersion: 1, at: 1_000 + i }),
    );
  await log.close();
  return log.streamId;
}

/**
 * Process lifetimes, one after the other, each with its own audit log on `path`, as restarts
 * leave them: the real file sink links each stream to the one before (`audit.previous`).
 * `crash` lists lifetimes that end without their closing checkpoint, which the next one seals.
 * Returns the stream ids, oldest first.
 */
export async function lifetimes(path: string, counts: readonly number[], crash: readonly number[] = []) {
  const streams: string[] = [];
  for (const [i, n] of counts.entries()) {
    if (!crash.includes(i)) {
      streams.push(await write(path, n, `s${i}-`));
      continue;
    }
    // What a crash leaves: the file as it was before the closing checkpoint, its last line.
    const scratch = `${path}.scratch`;
    if (existsSync(path)) copyFileSync(path, scratch);
    streams.push(await write(scratch, n, `s${i}-`));
    const written = readFileSync(scratch);
    writeFileSync(path, written.subarray(0, written.lastIndexOf('\n', written.length - 2) + 1));
    rmSync(scratch);
  }
  return streams;
}

export const readLines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);

export const streamOf = (line: string): string => JSON.parse(line).audit.stream;

/** Writes lines as an NDJSON file and returns its path. */
export function writeLines(path: string, lines: readonly string[]): string {
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
}

/**
 * One stream's lines with record 1's `audit.previous` replaced, and the whole stream's chain
 * (prev_hash, event.hash, checkpoint heads) computed again: a run that claims to continue
 * another, as someone who splices in a run from another chain would forge it.
 */
export function relink(lines: readonly string[], previous: AuditRecord['audit']['previous']): string[] {
  let prev = '';
  return lines.map((line) => {
    const r = JSON.parse(line) as AuditRecord;
    if (r.event.sequence === 1) {
      if (previous === undefined) delete r.audit.previous;
      else r.audit.previous = previous;
    } else {
      r.audit.prev_hash = prev;
      if (r.audit.checkpoint !== undefined) r.audit.checkpoint.head = prev;
    }
    delete r.event.hash;
    r.event.hash = hashRecord(r.audit.prev_hash!, r);
    prev = r.event.hash;
    return JSON.stringify(r);
  });
}
