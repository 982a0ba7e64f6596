import { styleText } from 'node:util';
import type { AuditRecord } from '@flagstate/audit';
import { type ScannedObject, ShapeMemo, scanCanonicalObject } from '@flagstate/audit/internal';
import type { StyleFormat } from '../io.js';
import { formatLine } from './format-line.js';
import { parsePrintable } from './printable.js';
import { createRecordFilter, MATCH_ALL, machineOf, type RecordFilterOptions } from './record-filter.js';
import { recordProblem, scannedRecordFits } from './record-shape.js';
import { recordOf } from './record-view.js';

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
      // --json the line itself is printed, and only what the filters read is needed of it:
      // read where it sits when the line is canonical and of the right shape.
      if (options.json) {
        const scanned = scanCanonicalObject(text, plain);
        if (scanned !== undefined && scannedRecordFits(scanned))
          return scannedTailLine(scanned, text, machines, matches === MATCH_ALL ? undefined : matches);
        record = recordOf(text, scanned);
      } else record = parsePrintable(text, ascii);
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

/**
 * The TailLine of a canonical line whose record `scannedRecordFits`: what the other path reads
 * of the record made of the line, read from its member table (record-view.test.ts holds the
 * two to one another). Such a record is no suspension: its machine is its state change's.
 */
function scannedTailLine(
  s: ScannedObject,
  text: string,
  machines: boolean,
  matches: ((record: AuditRecord) => boolean) | undefined,
): TailLine {
  const p = plans.of(s);
  const sequence = p.sequence < 0 ? undefined : (s.value(p.sequence) as number);
  const machine = p.machine < 0 ? undefined : (s.value(p.machine) as string);
  const filter =
    matches === undefined ||
    matches({
      event: { action: s.value(p.action) },
      state_change: p.stateChange ? { machine, subject: s.value(p.subject) } : undefined,
    } as AuditRecord);
  return {
    stream: p.stream < 0 ? undefined : (s.value(p.stream) as string),
    sequence,
    id: sequence === undefined && p.id >= 0 ? (s.value(p.id) as string) : undefined,
    machine: machines ? machine : undefined,
    out: filter ? text : undefined,
  };
}

/** Where a shape's members are (-1: absent, or not of the type read). */
interface TailPlan {
  readonly action: number;
  readonly stateChange: boolean;
  readonly machine: number;
  readonly subject: number;
  readonly stream: number;
  readonly sequence: number;
  readonly id: number;
}

const plans = new ShapeMemo<TailPlan>((s) => {
  const event = s.find(-1, 'event');
  const audit = s.find(-1, 'audit');
  const sc = s.find(-1, 'state_change');
  const string = (m: number) => (s.isString(m) ? m : -1);
  const sequence = s.findIn(event, 'sequence');
  return {
    action: string(s.findIn(event, 'action')),
    stateChange: sc >= 0,
    machine: string(s.findIn(sc, 'machine')),
    subject: string(s.findIn(sc, 'subject')),
    stream: string(s.findIn(audit, 'stream')),
    sequence: s.isInteger(sequence) ? sequence : -1,
    id: string(s.findIn(event, 'id')),
  };
});
