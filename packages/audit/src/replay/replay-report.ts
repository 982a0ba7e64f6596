/** A subject's state as the audit stream tells it: the fields of its store record. */
export interface ReplayedState {
  readonly machine: string;
  readonly subject: string;
  readonly state: string;
  readonly version: number;
  readonly machineVersion: number;
  /** Epoch ms. */
  readonly enteredAt: number;
  readonly pending?: string | undefined;
  /** The stay was reported stale (the store record's `stale` flag). */
  readonly stale: boolean;
  /** While `state` is not a state of the machine, the last one that is (the store record's `lastKnown`). */
  readonly lastKnown?: string | undefined;
}

export interface ReplayConflict {
  readonly machine: string;
  readonly subject: string;
  readonly version: number;
  /** `conflict`: two different records claim one version; `gap`: a version is missing. */
  readonly kind: 'conflict' | 'gap';
  readonly message: string;
  /** `event.id` of the record kept for this version (later `@timestamp`, then larger id). */
  readonly winner?: string | undefined;
  /** `event.id` of the other records that claim it, the next-best first. */
  readonly losers?: readonly string[] | undefined;
}

export interface ReplayReport {
  /** Every (machine, subject), ordered by machine then subject. */
  readonly states: readonly ReplayedState[];
  /** Subjects per machine and state. */
  readonly counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Ordered by machine, subject and version. */
  readonly conflicts: readonly ReplayConflict[];
  /** State records read (races, checkpoints and gaps are not writes and are not counted). */
  readonly records: number;
}
