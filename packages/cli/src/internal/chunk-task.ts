import { isAscii, isUtf8 } from 'node:buffer';
import type { VerifyOptions } from '@flagstate/audit';
import {
  AuditVerifier,
  type AuditVerifierPartial,
  addPlainLine,
  type ClaimBatch,
  claimBatch,
  type ReplayClaim,
  readClaim,
  scanCanonicalObject,
  scannedClaim,
} from '@flagstate/audit/internal';
import type { FileChunk } from './file-chunks.js';
import { isPlainAscii } from './plain-ascii.js';
import { recordProblem, scannedRecordFits } from './record-shape.js';
import { recordOf } from './record-view.js';
import { type TailChunk, tailChunkReader } from './tail-chunk.js';
import type { TailLineOptions } from './tail-line.js';

/** What is done to each chunk: verify its lines, take the claims replay needs, or read them for tail. */
export type TaskSpec =
  | { readonly kind: 'verify'; readonly options: Omit<VerifyOptions, 'publicKey'> & { publicKey?: string } }
  | { readonly kind: 'replay' }
  | { readonly kind: 'tail'; readonly options: TailLineOptions };

export type ChunkResult =
  | { readonly kind: 'verify'; readonly partial: AuditVerifierPartial }
  | { readonly kind: 'replay'; readonly claims: ClaimBatch; readonly skipped: LineError[] }
  | { readonly kind: 'tail'; readonly lines: TailChunk };

export interface LineError {
  readonly line: number;
  readonly error: string;
}

/** Lines of a file placed in the input: by file, then line (files stay below 2^21, lines 2^32). */
export const orderOf = (fileIndex: number, line: number) => fileIndex * 2 ** 32 + line;

/**
 * The work on one chunk, the same in a worker thread and in the main one. Verify sends the
 * runs it found (a handful per chunk), not its records; replay sends one small claim per
 * state record; tail sends the lines to print, and what is needed to print each record once.
 */
export function chunkTask(spec: TaskSpec): (chunk: FileChunk) => ChunkResult {
  if (spec.kind === 'verify') {
    const verifier = new AuditVerifier(spec.options);
    return (chunk) => {
      const bytes = chunkBytes(chunk);
      forEachLine(
        chunk,
        (text, line, utf8, _ascii, plain, at) => {
          const order = orderOf(chunk.fileIndex, line);
          if (!utf8) {
            verifier.add({ text: '', file: chunk.file, line, error: NOT_UTF8 }, order);
            return;
          }
          // The library reports what it cannot check (nested too deeply, say) as malformed.
          // Its bytes are the verifier's to hash in: the line is not read again.
          if (plain) verifier[addPlainLine](text, chunk.file, line, order, at < 0 ? undefined : bytes, at);
          else verifier.add({ text, file: chunk.file, line }, order);
        },
        true,
      );
      return { kind: 'verify', partial: verifier.takePartial() };
    };
  }
  if (spec.kind === 'tail') {
    const read = tailChunkReader(spec.options);
    const json = spec.options.json === true;
    // Bytes that are not UTF-8 are read as any reader decodes them: the U+FFFD they become shows.
    return (chunk) => ({
      kind: 'tail',
      // Lines of their own for --json, which scans them; slices of a block for readable lines.
      lines: read((fn) =>
        forEachLine(chunk, (text, line, _utf8, ascii, plain) => fn(text, line, ascii, plain), json),
      ),
    });
  }
  return (chunk) => {
    const claims: ReplayClaim[] = [];
    const skipped: LineError[] = [];
    forEachLine(
      chunk,
      (text, line, utf8, _ascii, plain) => {
        if (!utf8) {
          skipped.push({ line, error: NOT_UTF8 });
          return;
        }
        const scanned = scanCanonicalObject(text, plain);
        // A canonical line of the right shape (nearly every line the log writes): its claim is
        // read where it sits, without making the record.
        if (scanned !== undefined && scannedRecordFits(scanned)) {
          const claim = scannedClaim(scanned);
          if (claim !== null) {
            if (claim !== undefined) claims.push(claim);
            return;
          }
        }
        // What replay reads of the record, without parsing it when it is canonical.
        let record: unknown;
        try {
          record = recordOf(text, scanned);
        } catch (error) {
          skipped.push({ line, error: `not JSON: ${(error as Error).message}` });
          return;
        }
        // A record of the wrong shape is named, not counted as whatever its fields happen to
        // say; so is a state record that replay cannot read (a `last_known` that is no string).
        const problem = recordProblem(record);
        const claim = problem === undefined ? readClaim(record) : problem;
        if (typeof claim === 'string') {
          skipped.push({ line, error: `not an audit record (${claim})` });
          return;
        }
        if (claim !== undefined) claims.push(claim);
      },
      true,
    );
    return { kind: 'replay', claims: claimBatch(claims), skipped };
  };
}

/** Decoded strings stay below V8's large-object size, so that they die young, in scavenges. */
const BLOCK = 64 * 1024;
const NOT_UTF8 = 'not UTF-8 text (a reader would put U+FFFD in place of its bad bytes)';

/** The chunk's bytes as a Buffer (a view, not a copy). */
const chunkBytes = (chunk: FileChunk) =>
  Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.length);

/**
 * Each non-blank line of the chunk, trimmed, with its number, and whether its bytes are UTF-8:
 * decoded in blocks of whole lines and sliced. Decoding the chunk in one go would put a 1 MiB
 * string in the large-object space, which only a full collection frees: memory would grow by a
 * chunk per chunk until one. A block that is not all UTF-8 (the decoder would quietly put
 * U+FFFD in place of its bad bytes) is gone through line by line, to name the lines.
 */
function forEachLine(
  chunk: FileChunk,
  /**
   * `ascii`: the line is all ASCII (told for its block of lines, in one native pass); `plain`
   * (told only when `flat`): ASCII without a backslash or a control character (isPlainAscii);
   * `at`: where a plain line's bytes start in the chunk's, when `text` is all of them (-1: not).
   */
  fn: (text: string, line: number, utf8: boolean, ascii: boolean, plain: boolean, at: number) => void,
  flat = false,
): void {
  const bytes = chunkBytes(chunk);
  let line = chunk.firstLine;
  for (let from = 0; from < bytes.length; ) {
    let to = Math.min(from + BLOCK, bytes.length);
    if (to < bytes.length) to = bytes.lastIndexOf(0x0a, to - 1) + 1;
    if (to <= from) to = bytes.indexOf(0x0a, from) + 1 || bytes.length;
    if (!isUtf8(bytes.subarray(from, to))) {
      for (let start = from; start < to; line++) {
        const stop = bytes.indexOf(0x0a, start);
        const end = stop === -1 || stop >= to ? to : stop;
        const raw = bytes.toString('utf8', start, end).trim();
        if (raw !== '') fn(raw, line, isUtf8(bytes.subarray(start, end)), false, false, -1);
        start = end + 1;
      }
      from = to;
      continue;
    }
    const ascii = isAscii(bytes.subarray(from, to));
    if (flat) {
      const plain = ascii && isPlainAscii(bytes.subarray(from, to));
      // Each line decoded on its own: a string of its own, not a slice of the block's, which the
      // canonical scanner reads a fifth faster than it costs to make.
      for (let start = from; start < to; line++) {
        const stop = bytes.indexOf(0x0a, start);
        const end = stop === -1 || stop >= to ? to : stop;
        const raw = bytes.toString(ascii ? 'latin1' : 'utf8', start, end).trim();
        if (raw !== '') fn(raw, line, true, ascii, plain, plain && raw.length === end - start ? start : -1);
        start = end + 1;
      }
      from = to;
      continue;
    }
    const text = bytes.toString('utf8', from, to);
    for (let start = 0; start < text.length; line++) {
      const stop = text.indexOf('\n', start);
      const end = stop === -1 ? text.length : stop;
      const raw = text.slice(start, end).trim();
      if (raw !== '') fn(raw, line, true, ascii, false, -1);
      start = end + 1;
    }
    from = to;
  }
}
