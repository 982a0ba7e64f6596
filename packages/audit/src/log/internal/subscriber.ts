import type { AuditRecord } from '../../records/audit-record.js';

export type GapFactory = (fromSequence: number, toSequence: number, missed: number) => AuditRecord;

/**
 * One in-process consumer with a bounded buffer. When the buffer is full, records are
 * counted as missed instead; the consumer later gets one `audit-gap` record naming the range,
 * in order, and nothing else is slowed down.
 */
export class Subscriber {
  readonly #buffer: AuditRecord[] = [];
  readonly #size: number;
  readonly #gap: GapFactory;
  #missedFrom = 0;
  #missedTo = 0;
  #missed = 0;
  #wake: (() => void) | undefined;
  ended = false;

  constructor(size: number, gap: GapFactory) {
    this.#size = size;
    this.#gap = gap;
  }

  /** Offers a record; returns 1 when it was missed (buffer full), 0 otherwise. */
  offer(record: AuditRecord): number {
    if (this.#buffer.length >= this.#size) {
      const seq = record.event.sequence ?? 0;
      if (this.#missed === 0) this.#missedFrom = seq;
      this.#missedTo = seq;
      this.#missed++;
      return 1;
    }
    this.#flushGap();
    this.#buffer.push(record);
    this.#notify();
    return 0;
  }

  /** Ends the subscription once what is buffered (and any gap) has been taken. */
  end(): void {
    this.#flushGap();
    this.ended = true;
    this.#notify();
  }

  /** The next record, waiting for one; `undefined` once ended and drained. */
  async next(): Promise<AuditRecord | undefined> {
    for (;;) {
      const record = this.#buffer.shift();
      if (record !== undefined) return record;
      if (this.#missed > 0) {
        this.#flushGap();
        continue;
      }
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #flushGap(): void {
    if (this.#missed === 0) return;
    this.#buffer.push(this.#gap(this.#missedFrom, this.#missedTo, this.#missed));
    this.#missed = 0;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
