import { MachineDefinitionError, type MachineSet, parseMachines } from '@flagstate/core';
import type { Io } from '../io.js';
import { readDocument } from './read-document.js';

/** A document that parsed and validated, with its machines. */
export interface LoadedMachines {
  readonly doc: unknown;
  readonly machines: MachineSet;
}

/**
 * Reads and validates a flag document. Every problem is printed as `file: path: message`, and
 * `undefined` returned, so that the caller exits 1; an unreadable file throws (exit 2).
 */
export function loadMachines(file: string, io: Io): LoadedMachines | undefined {
  const read = readDocument(file);
  if (!read.ok) {
    for (const error of read.errors) io.out(error);
    return undefined;
  }
  try {
    return { doc: read.doc, machines: parseMachines(read.doc, { source: file }) };
  } catch (error) {
    if (!(error instanceof MachineDefinitionError)) throw error;
    for (const issue of error.issues) io.out(`${file}: ${issue.path}: ${issue.message}`);
    return undefined;
  }
}
