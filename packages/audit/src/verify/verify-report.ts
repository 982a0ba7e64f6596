import type { KeyInput } from '../chain/checkpoint-signature.js';

export type VerifyFailure =
  | 'malformed'
  | 'edited'
  | 'chain_broken'
  | 'deleted'
  | 'reordered'
  | 'duplicated'
  | 'truncated'
  | 'bad_signature'
  | 'unsigned'
  | 'after_close'
  /** A stream continues one (`audit.previous`) that is not in the input: a whole run was deleted. */
  | 'missing_stream'
  /** Two streams continue the same one: one of them is from another chain. */
  | 'forked';

export interface VerifyProblem {
  readonly reason: VerifyFailure;
  readonly message: string;
  readonly stream?: string | undefined;
  readonly sequence?: number | undefined;
  readonly file?: string | undefined;
  readonly line?: number | undefined;
}

export interface StreamReport {
  readonly stream: string;
  readonly count: number;
  /** The sequence the chain was checked from: 1, or later when `requireStart` is off and files were pruned. */
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly checkpoints: number;
  /** Checkpoints vouch for sequences 1..coveredTo. */
  readonly coveredTo: number;
  /** The stream ends with its closing checkpoint (or the one that sealed it). */
  readonly closed: boolean;
  /** It ended in a crash, and the next process closed it at its last good record (`checkpoint.sealed`). */
  readonly sealed: boolean;
  /** The stream this one continues (its record 1's `audit.previous.stream`), if any. */
  readonly previous: string | undefined;
  readonly signed: boolean;
  readonly files: readonly string[];
}

export interface VerifyReport {
  readonly ok: boolean;
  /** Records checked (gap records, which are not part of any stream, are not counted). */
  readonly count: number;
  /** In the order of `lineages`. */
  readonly streams: readonly StreamReport[];
  /**
   * Stream ids linked by `audit.previous`, one list per lineage (a writer across its process
   * lifetimes), oldest first, and the lineages by when their oldest stream started. A stream
   * that continues none and is continued by none is a lineage of its own.
   */
  readonly lineages: readonly (readonly string[])[];
  readonly firstBad: VerifyProblem | undefined;
  /** The first problem of each stream, and every malformed line (the first 1000). */
  readonly problems: readonly VerifyProblem[];
  /** Malformed lines found beyond those listed in `problems`. */
  readonly unlisted: number;
}

export interface VerifyOptions {
  /** Ed25519 public (or private) key that checks checkpoint signatures. @default undefined */
  readonly publicKey?: KeyInput;
  /**
   * The newest stream of each lineage must end with its closing checkpoint; otherwise its tail
   * may have been cut. Off, it may still be open (a log being written). An older stream must
   * be closed (or sealed) either way: the stream after it started when it ended.
   * @default true
   */
  readonly requireClosed?: boolean;
  /**
   * Every checkpoint must be signed. Without this, a stream whose first checkpoint is signed
   * must still have every later one signed: anyone can recompute a chain, not a signature.
   * @default true when `publicKey` is given
   */
  readonly requireSignatures?: boolean;
  /**
   * A stream must start at record 1, and a stream's predecessor must be in the input. Turn off
   * to verify what `fileSink`'s `maxFiles` kept: the chain is then checked from the oldest
   * record present, and a stream whose record 1 begins a file may continue one that is gone
   * (retention deletes whole files; a run cut out of a file is still found).
   * @default true
   */
  readonly requireStart?: boolean;
}
