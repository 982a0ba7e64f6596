import { styleText } from 'node:util';
import type { AuditRecord } from '@flagstate/audit';
import type { StyleFormat } from '../io.js';
import { formatLine } from './format-line.js';
import { parsePrintable } from './printable.js';
import { createRecordFilter, machineOf, type RecordFilterOptions } from './record-filter.js';
import { recordProblem } from './record-shape.js';
import { readRecord } from './record-view.js';

/** How `tail` shows records: as they are (NDJSON) or as readable lines, in colour or not. */
export interface TailLineOptions extends RecordFilterOptions {
  readonly json?: boolean | undefined;
  readonly color?: boolean | undefined;
}

/**
 * One line as `tail` reads it: why it is skipped, or the record's place (to print it once), its
 * machine (to check `--machine`), and what to print when it matches the filters.
 */
export type TailLine =
  | { readonly skip: string }
  | {
      readonly stream: string | undefined;
      readonly sequence: number | undefined;
      /** `event.id`, of a record without a sequence: what tells gap records apart. */
      readonly id: string | undefined;
      /** Given only when `--machine` is, which is checked against the machines seen. */
      readonly machine: string | undefined;
      /** Undefined when the record does not match the filters. */
      readonly out: string | undefined;
    };

/**
 * Reads lines for `tail`: the same in a worker thread and in the main one. Printing them once
 * each, in order, is left to the caller, which alone sees every line.
 */
export function tailLineReader(
  options: TailLineOptions,
): (text: string, ascii?: boolean, plain?: boolean) => TailLine {
  const matches = createRecordFilter(options);
  const machines = (options.machine?.length ?? 0) > 0;
  const style = options.color
    ? (format: StyleFormat, text: string) => styleText(format, text)
    : (_format: StyleFormat, text: string) => text;
  return (text, ascii = false, plain = false) => {
    let record: unknown;
    try {
      // What is printed as a readable line comes from the record: made printable first. With
      // --json the line itself is printed, and only what the filters read is needed of it.
      record = options.json ? readRecord(text, plain) : parsePrintable(text, ascii);
    } catch (error) {
      // A RangeError is the reader's own stack giving out, on JSON nested too deeply.
      return { skip: error instanceof SyntaxError ? 'not JSON' : 'nested too deeply to read' };
    }
    const problem = recordProblem(record);
    if (problem !== undefined) return { skip: `not an audit record (${problem})` };
    const r = record as AuditRecord;
    const sequence = r.event?.sequence;
    const id = r.event?.id;
    return {
      stream: typeof r.audit?.stream === 'string' ? r.audit.stream : undefined,
      sequence: typeof sequence === 'number' ? sequence : undefined,
      id: typeof sequence !== 'number' && typeof id === 'string' ? id : undefined,
      machine: machines ? machineOf(r) : undefined,
      out: matches(r) ? (options.json ? text : formatLine(r, style)) : undefined,
    };
  };
}
