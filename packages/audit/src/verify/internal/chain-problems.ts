import type { VerifyFailure, VerifyProblem } from '../verify-report.js';

/** Where a record was read. `order` grows with the input: problems are listed in its order. */
export interface Place {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly order: number;
}

/**
 * A stream's problem at a place. `rank` orders problems of one record as verify always has
 * (a record after the close, then an edit, then its link, then its checkpoint). A jump
 * forward carries `missing`: it is a deletion unless that record turns up elsewhere, which
 * only the end of the input can tell.
 */
export interface PlacedProblem extends VerifyProblem {
  readonly order: number;
  readonly rank: number;
  readonly missing?: number;
}

export const Rank = { afterClose: 0, edited: 1, link: 2, checkpoint: 3, stream: 4 } as const;

export function problemAt(
  reason: VerifyFailure,
  message: string,
  stream: string | undefined,
  sequence: number | undefined,
  at: Place,
  rank: number,
  missing?: number,
): PlacedProblem {
  const { file, line, order } = at;
  return {
    reason,
    message,
    stream,
    sequence,
    file,
    line,
    order,
    rank,
    ...(missing === undefined ? {} : { missing }),
  };
}

/** The earlier of two problems: by place, then by rank. */
export function first<P extends PlacedProblem>(a: P | undefined, b: P | undefined): P | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.order < a.order || (b.order === a.order && b.rank < a.rank) ? b : a;
}

/** The problems of a record's place in its stream, worded once for every check that finds them. */
export const misplaced = {
  afterClose: (stream: string, seq: number, at: Place) =>
    problemAt(
      'after_close',
      `record ${seq} follows the stream's closing checkpoint`,
      stream,
      seq,
      at,
      Rank.afterClose,
    ),
  replaced: (stream: string, seq: number, at: Place) => {
    const message = `record ${seq}'s prev_hash is not the hash of record ${seq - 1}: that record was replaced`;
    return problemAt('chain_broken', message, stream, seq, at, Rank.link);
  },
  /** Records `from`..`seq - 1` are not where they should be; `jump` leaves open whether they are anywhere. */
  deleted: (stream: string, from: number, seq: number, at: Place, jump = false) => {
    const message = `records ${from}..${seq - 1} are missing before record ${seq}`;
    return problemAt('deleted', message, stream, seq, at, Rank.link, jump ? from : undefined);
  },
  duplicated: (stream: string, seq: number, at: Place) =>
    problemAt('duplicated', `record ${seq} appears a second time`, stream, seq, at, Rank.link),
  outOfPlace: (stream: string, seq: number, expected: number, at: Place) => {
    const message = `record ${seq} is out of place: record ${expected} was expected here`;
    return problemAt('reordered', message, stream, seq, at, Rank.link);
  },
};
