import type { KeyInput } from './checkpoint-signature.js';

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
  | 'after_close';

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
  /** The stream ends with its closing checkpoint. */
  readonly closed: boolean;
  readonly signed: boolean;
  readonly files: readonly string[];
}

export interface VerifyReport {
  readonly ok: boolean;
  /** Records checked (gap records, which are not part of any stream, are not counted). */
  readonly count: number;
  readonly streams: readonly StreamReport[];
  readonly firstBad: VerifyProblem | undefined;
  /** The first problem of each stream, and every malformed line. */
  readonly problems: readonly VerifyProblem[];
}

export interface VerifyOptions {
  /** Ed25519 public (or private) key that checks checkpoint signatures. @default undefined */
  readonly publicKey?: KeyInput;
  /** A stream must end with its closing checkpoint; otherwise its tail may have been cut. @default true */
  readonly requireClosed?: boolean;
  /**
   * Every checkpoint must be signed. Without this, a stream whose first checkpoint is signed
   * must still have every later one signed: anyone can recompute a chain, not a signature.
   * @default true when `publicKey` is given
   */
  readonly requireSignatures?: boolean;
  /**
   * A stream must start at record 1. Turn off to verify what `fileSink`'s `maxFiles` kept: the
   * chain is then checked from the oldest record present.
   * @default true
   */
  readonly requireStart?: boolean;
}
