/**
 * Where a durable sink's earlier stream ended, read when the sink is opened, so that a new
 * audit log can link to it (and seal it first, if that process crashed).
 */
export interface ResumePoint {
  /** `audit.stream` of the last record in the sink. */
  readonly stream: string;
  /** Its `event.sequence`. */
  readonly sequence: number;
  /** Its `event.hash`. */
  readonly hash: string;
  /** The last record is its stream's closing checkpoint: nothing needs sealing. */
  readonly closed: boolean;
  /** Bytes of a torn last line cut away on open (0: none). */
  readonly tornBytes: number;
  /** The file the last record was read from. */
  readonly file?: string | undefined;
}
