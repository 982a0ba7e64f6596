import type { Machine } from '@flagstate/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-code.js';
import { loadFlagDocument } from '../internal/load-flag-document.js';
import { plural } from '../internal/plural.js';
import type { Io } from '../io.js';

export function registerValidate(program: Command, { io, done }: CommandContext): void {
  program
    .command('validate')
    .description('check a flag document (flagd flags and machines) as the provider loads it')
    .argument('<file>', 'flag document, JSON or YAML')
    .action(async (file: string) => done(await validate(file, io)));
}

/**
 * Prints `file: ok — …`, or every problem as `file: path: message`. Warnings (departures from
 * flagd's strict schema that flagd tolerates) go to stderr and do not fail the check.
 */
export async function validate(file: string, io: Io): Promise<ExitCode> {
  const doc = await loadFlagDocument(file, io);
  if (!doc) return ExitCode.failed;
  for (const w of doc.warnings) io.err(`${file}: warning: ${w.path}: ${w.message}`);
  const machines = [...doc.machines];
  const list = machines.length === 0 ? '' : ` (${machines.map(describeMachine).join('; ')})`;
  const warned = doc.warnings.length === 0 ? '' : `, ${plural(doc.warnings.length, 'warning')}`;
  io.out(
    `${file}: ok — ${plural(machines.length, 'machine')}${list}, ${plural(doc.core.getFlags().size, 'flag')}${warned}`,
  );
  return ExitCode.ok;
}

function describeMachine(m: Machine): string {
  return `${m.id} v${m.version}: ${plural(m.stateNames.length, 'state')}, ${plural(m.transitions.length, 'transition')}`;
}
