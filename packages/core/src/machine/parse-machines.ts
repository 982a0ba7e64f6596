import { describeValue, isObject } from '@flagstate/audit/internal';
import { checkFlagBindings } from './internal/check-flag-bindings.js';
import { compileMachine } from './internal/compile-machine.js';
import { DefinitionProblems } from './internal/definition-problems.js';
import { DEFAULT_MAX_DEPTH, jsonDataProblems } from './internal/json-data-problems.js';
import { completeParts, type DefinitionParts, readParts } from './internal/lenient-definition.js';
import { toDefinitionIssues, zodErrorMap } from './internal/zod-issues.js';
import type { Machine } from './machine.js';
import { MachineDefinitionError } from './machine-definition-error.js';
import { MACHINE_ID_PATTERN, machineDefinitionSchema, machineIdMessage } from './machine-schema.js';
import { MachineSet } from './machine-set.js';

export interface ParseMachinesOptions {
  /** Named in the error message, e.g. the file the document came from. */
  readonly source?: string;
  /**
   * Deepest nesting of objects and arrays allowed, the document itself being level 1: deeper
   * documents are refused before anything recursive reads them.
   * @default 128
   */
  readonly maxDepth?: number;
}

/**
 * Validates the `machines` of a document (a flagd flag document, or one holding only
 * machines) and compiles them. Throws `MachineDefinitionError` listing every problem; a
 * document that is not JSON data (see its `code`) is refused before its machines are read.
 */
export function parseMachines(doc: unknown, options: ParseMachinesOptions = {}): MachineSet {
  const unsafe = jsonDataProblems(doc, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  if (unsafe.length > 0)
    throw new MachineDefinitionError(options.source, unsafe, 'MACHINE_DOCUMENT_NOT_DATA');
  const problems = new DefinitionProblems();
  const machines: Machine[] = [];
  const read: Record<string, DefinitionParts> = {};
  const boundBy = new Map<string, string>();

  const raw = isObject(doc) ? doc.machines : undefined;
  if (!isObject(doc)) problems.add([], `expected a document object, got ${describeValue(doc)}`);
  else if (raw !== undefined && !isObject(raw)) {
    problems.add(['machines'], `expected an object of machines by id, got ${describeValue(raw)}`);
  }

  // Each machine is checked on its own, so that one bad machine does not hide another's problems;
  // a machine with invalid fields still has the relations between its valid ones checked.
  for (const [id, definition] of Object.entries(isObject(raw) ? raw : {})) {
    if (!MACHINE_ID_PATTERN.test(id)) {
      problems.add(['machines', id], machineIdMessage(id));
      continue;
    }
    const result = machineDefinitionSchema.safeParse(definition, { error: zodErrorMap });
    if (!result.success) problems.addAll(toDefinitionIssues(result.error, ['machines', id]));
    const readable = result.success ? completeParts(result.data) : readParts(definition);
    if (readable === undefined) continue;
    const { parts, missing } = readable;
    if (!missing.states) read[id] = parts;
    parts.flags.forEach((flag, i) => {
      if (flag === undefined) return;
      const other = boundBy.get(flag);
      if (other !== undefined && other !== id) {
        problems.add(['machines', id, 'flags', i], `flag "${flag}" is already bound to machine "${other}"`);
      } else boundBy.set(flag, id);
    });
    const machine = compileMachine(id, parts, missing, problems);
    if (machine && result.success) machines.push(machine);
  }
  if (isObject(doc) && doc.flags !== undefined) checkFlagBindings(doc.flags, read, problems);

  if (problems.size > 0) throw new MachineDefinitionError(options.source, problems.list());
  return new MachineSet(machines);
}

/** Problems found by `parseMachines`, without throwing; empty when the document is valid. */
export function checkMachines(doc: unknown): MachineDefinitionError | undefined {
  try {
    parseMachines(doc);
    return undefined;
  } catch (error) {
    if (error instanceof MachineDefinitionError) return error;
    throw error;
  }
}
