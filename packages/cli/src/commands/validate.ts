import type { Machine } from '@flagstate/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-code.js';
import { loadMachines } from '../internal/load-machines.js';
import { plural } from '../internal/plural.js';
import type { Io } from '../io.js';

export function registerValidate(program: Command, { io, done }: CommandContext): void {
  program
    .command('validate')
    .description('check a flag document and its machines; print every problem with its path')
    .argument('<file>', 'flag document: .yaml/.yml is read as YAML, anything else as JSON')
    .action((file: string) => done(validate(file, io)));
}

/** Prints `file: ok — …` or every problem as `file: path: message`. */
export function validate(file: string, io: Io): ExitCode {
  const loaded = loadMachines(file, io);
  if (!loaded) return ExitCode.failed;
  const machines = [...loaded.machines];
  const list = machines.length === 0 ? '' : ` (${machines.map(describeMachine).join('; ')})`;
  const flags = flagCount(loaded.doc);
  io.out(`${file}: ok — ${plural(machines.length, 'machine')}${list}, ${plural(flags, 'flag')}`);
  return ExitCode.ok;
}

function describeMachine(m: Machine): string {
  return `${m.id} v${m.version}: ${plural(m.stateNames.length, 'state')}, ${plural(m.transitions.length, 'transition')}`;
}

/** Flags of the document's flagd part; a machine-only document has none. */
function flagCount(doc: unknown): number {
  const flags = (doc as { flags?: unknown }).flags;
  return typeof flags === 'object' && flags !== null ? Object.keys(flags).length : 0;
}
