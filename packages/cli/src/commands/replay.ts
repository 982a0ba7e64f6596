import type { ReplayConflict, ReplayReport } from '@flagstate/audit';
import { AuditReplayer } from '@flagstate/audit/internal';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-code.js';
import { checkReadable, inRecordOrder } from '../internal/audit-files.js';
import type { ChunkResult } from '../internal/chunk-task.js';
import { formatTable } from '../internal/format-table.js';
import { plural } from '../internal/plural.js';
import { printable } from '../internal/printable.js';
import { MAX_LINE_BYTES, parseThreads, threadsFor } from '../internal/read-options.js';
import { runChunks } from '../internal/worker-pool.js';
import type { Io } from '../io.js';

type ReplayResult = Extract<ChunkResult, { kind: 'replay' }>;

export interface ReplayCommandOptions {
  readonly json?: boolean;
  readonly threads?: number;
}

export function registerReplay(program: Command, { io, done }: CommandContext): void {
  program
    .command('replay')
    .description('rebuild the state of every subject from audit files; count subjects per state')
    .argument('<file...>', 'audit files (NDJSON) from any number of streams, in any order')
    .option('--json', 'print the whole snapshot { states, counts, conflicts } as JSON')
    .option(
      '--threads <n>',
      'worker threads that parse lines beside the main thread (default: one per core but one, 0 for none)',
      parseThreads,
    )
    .action(async (files: string[], options: ReplayCommandOptions) => done(await replay(files, options, io)));
}

/** Prints subjects per machine and state, then any conflicts; returns 1 when there are conflicts. */
export async function replay(
  files: readonly string[],
  options: ReplayCommandOptions,
  io: Io,
): Promise<ExitCode> {
  const threads = threadsFor(options.threads, checkReadable(files));
  // The report does not depend on the order, but memory does: in the order the records were
  // written, each subject's versions arrive one after the other and stay one range.
  const ordered = inRecordOrder(files);
  const replayer = new AuditReplayer();
  let again = false;
  let skipped = 0;
  const read = (onClaims: (result: ReplayResult, file: string) => void) =>
    runChunks(
      ordered,
      { kind: 'replay' },
      threads,
      (result, chunk) => {
        if (chunk.tooLong !== undefined && !again) {
          skipped++;
          io.err(
            printable(
              `${chunk.file}:${chunk.firstLine}: skipped: line is ${chunk.tooLong} bytes, longer than ${MAX_LINE_BYTES}`,
            ),
          );
        }
        if (result.kind === 'replay') onClaims(result, chunk.file);
      },
      false,
    );
  await read((result, file) => {
    // The error of a line that is not JSON quotes it: made printable like everything else.
    for (const s of result.skipped) io.err(printable(`${file}:${s.line}: skipped: ${s.error}`));
    skipped += result.skipped.length;
    replayer.addBatch(result.claims);
  });
  // Some version was claimed twice, or some record read twice: read again (at most twice) to
  // tell the records apart and name those that claim one version.
  while (replayer.nextPass()) {
    again = true;
    await read((result) => replayer.recheckBatch(result.claims));
  }
  const report = replayer.report();
  if (options.json) {
    const { states, counts, conflicts } = report;
    io.out(JSON.stringify({ states, counts, conflicts }, null, 2));
  } else printReport(report, io);
  if (skipped > 0)
    io.err(`flagstate: ${plural(skipped, 'line')} skipped: the snapshot may lack their records`);
  return report.conflicts.length > 0 || skipped > 0 ? ExitCode.failed : ExitCode.ok;
}

function printReport(report: ReplayReport, io: Io): void {
  const { counts } = report;
  const rows = [['machine', 'state', 'subjects']];
  // Counts have no prototype: a machine or state named `__proto__` is a key like any other.
  for (const machine of Object.keys(counts).sort()) {
    const byState = counts[machine]!;
    for (const state of Object.keys(byState).sort())
      rows.push([printable(machine), printable(state), String(byState[state])]);
  }
  // Escaped before the columns are measured, so that they line up as printed.
  for (const line of formatTable(rows, [2])) io.out(line);
  const machines = Object.keys(counts).length;
  io.out(
    `${plural(report.states.length, 'subject')} in ${plural(machines, 'machine')}, from ${plural(report.records, 'state record')}`,
  );
  if (report.conflicts.length === 0) return;
  io.out(`${plural(report.conflicts.length, 'conflict')}:`);
  for (const c of report.conflicts)
    io.out(printable(`  ${c.machine} ${c.subject} version ${c.version}: ${c.kind}: ${describe(c)}`));
}

function describe(c: ReplayConflict): string {
  if (c.winner === undefined) return c.message;
  return `${c.message}; kept ${c.winner} over ${(c.losers ?? []).join(', ')}`;
}
