import { type ReplayReport, replayAudit } from '@flagstate/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-code.js';
import { formatTable } from '../internal/format-table.js';
import { plural } from '../internal/plural.js';
import { readAuditEntries } from '../internal/read-audit-entries.js';
import type { Io } from '../io.js';

export interface ReplayCommandOptions {
  readonly json?: boolean;
}

export function registerReplay(program: Command, { io, done }: CommandContext): void {
  program
    .command('replay')
    .description('rebuild the state of every subject from audit files; count subjects per state')
    .argument('<file...>', 'audit files (NDJSON) from any number of streams, in any order')
    .option('--json', 'print the whole snapshot { states, counts, conflicts } as JSON')
    .action((files: string[], options: ReplayCommandOptions) => done(replay(files, options, io)));
}

/** Prints subjects per machine and state, then any conflicts; returns 1 when there are conflicts. */
export function replay(files: readonly string[], options: ReplayCommandOptions, io: Io): ExitCode {
  const entries = readAuditEntries(files);
  for (const e of entries) if (e.error !== undefined) io.err(`${e.file}:${e.line}: skipped: ${e.error}`);
  const report = replayAudit(entries);
  if (options.json) {
    const { states, counts, conflicts } = report;
    io.out(JSON.stringify({ states, counts, conflicts }, null, 2));
  } else printReport(report, io);
  return report.conflicts.length > 0 ? ExitCode.failed : ExitCode.ok;
}

function printReport(report: ReplayReport, io: Io): void {
  const rows = [['machine', 'state', 'subjects']];
  for (const [machine, byState] of Object.entries(report.counts)) {
    for (const state of Object.keys(byState).sort()) rows.push([machine, state, String(byState[state])]);
  }
  for (const line of formatTable(rows, [2])) io.out(line);
  const machines = Object.keys(report.counts).length;
  io.out(
    `${plural(report.states.length, 'subject')} in ${plural(machines, 'machine')}, from ${plural(report.records, 'state record')}`,
  );
  if (report.conflicts.length === 0) return;
  io.out(`${plural(report.conflicts.length, 'conflict')}:`);
  for (const c of report.conflicts)
    io.out(`  ${c.machine} ${c.subject} version ${c.version}: ${c.kind}: ${c.message}`);
}
