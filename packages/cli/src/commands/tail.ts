import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-code.js';
import { checkReadable } from '../internal/audit-files.js';
import { collect } from '../internal/collect.js';
import { type FileFollower, followFile } from '../internal/follow-file.js';
import { pollFollowers } from '../internal/poll-followers.js';
import { printable } from '../internal/printable.js';
import { MAX_LINE_BYTES, parseThreads, threadsFor } from '../internal/read-options.js';
import { ACTION_CHOICES, parseAction } from '../internal/record-filter.js';
import { colours, createRecordPrinter, type RecordPrinter } from '../internal/record-printer.js';
import { unreadable } from '../internal/unreadable.js';
import { untilSignal } from '../internal/until-signal.js';
import { runChunks } from '../internal/worker-pool.js';
import type { Io } from '../io.js';
import { UsageError } from '../usage-error.js';

/** How often `--follow` looks for appended records and rotation, as `tail -F` does (ms). */
const POLL_MS = 200;

export interface TailOptions {
  readonly follow?: boolean;
  readonly machine?: string[];
  readonly subject?: string[];
  readonly action?: string[];
  readonly json?: boolean;
  readonly threads?: number;
}

export function registerTail(program: Command, { io, done }: CommandContext): void {
  program
    .command('tail')
    .description('print audit records as readable lines; --follow keeps reading, across rotation')
    .argument('<file...>', 'audit files (NDJSON), oldest first, e.g. audit.ndjson.1 audit.ndjson')
    .option('-f, --follow', 'keep reading appended records until SIGINT or SIGTERM')
    .option('--machine <id>', 'only records of this machine (repeatable)', collect)
    .option('--subject <id>', 'only records of this subject (repeatable)', collect)
    .addOption(
      new Option('--action <action>', 'only this event.action, in full or short (repeatable)')
        .choices(ACTION_CHOICES)
        .argParser(parseAction),
    )
    .option('--json', 'print the matching records as NDJSON, unchanged')
    .option(
      '--threads <n>',
      'worker threads that parse lines beside the main thread, without --follow (default: one per core but one, 0 for none)',
      parseThreads,
    )
    .action(async (files: string[], options: TailOptions) => done(await tail(files, options, io)));
}

/**
 * Prints each matching record once, even when files overlap; with `follow`, keeps going until
 * the process is signalled. Files are read line by line, in memory that does not grow with them.
 */
export async function tail(files: readonly string[], options: TailOptions, io: Io): Promise<ExitCode> {
  const printer = createRecordPrinter(options, io);
  if (!options.follow) {
    const threads = threadsFor(options.threads, checkReadable(files));
    const { machine, subject, action, json } = options;
    const spec = { kind: 'tail', options: { machine, subject, action, json, color: colours(io) } } as const;
    // Lines are parsed and formatted in worker threads, and printed here in the order read.
    await runChunks(files, spec, threads, (result, chunk) => {
      if (chunk.tooLong !== undefined) {
        const why = `line is ${chunk.tooLong} bytes, longer than ${MAX_LINE_BYTES}: not read`;
        io.err(printable(`${chunk.file}:${chunk.firstLine}: ${why}, skipped`));
      }
      if (result.kind === 'tail') printer.printChunk(result.lines, chunk.file);
    });
    printer.flush();
    const unknown = unknownMachines(printer);
    if (unknown !== undefined) throw new UsageError(unknown);
    return ExitCode.ok;
  }
  return follow(files, printer, io);
}

/**
 * Only the files know their machines. So a `--machine` that no record is of, while records of
 * other machines were read, is taken for a typo: a usage error that lists those machines. With
 * no state record at all there is nothing to tell a typo from a machine without records yet.
 */
function unknownMachines(printer: RecordPrinter): string | undefined {
  const { unmatched, seen } = printer.unmatchedMachines();
  if (unmatched.length === 0 || seen.length === 0) return undefined;
  const names = unmatched.map((m) => `"${m}"`).join(', ');
  return printable(
    `no record is of ${unmatched.length === 1 ? 'machine' : 'machines'} ${names} (machines seen: ${seen.join(', ')})`,
  );
}

async function follow(files: readonly string[], printer: RecordPrinter, io: Io): Promise<ExitCode> {
  // Listen before the first read: a signal that arrives while existing lines print must end
  // the command cleanly, not kill it.
  const signalled = untilSignal();
  const followers: FileFollower[] = [];
  let timer: NodeJS.Timeout | undefined;
  let interrupted = false;
  const stopAll = () => {
    clearInterval(timer);
    // What was appended up to the signal is printed, unless it came during the first read.
    if (timer !== undefined) pollFollowers(followers);
    for (const follower of followers) follower.stop();
    printer.flush();
  };
  void signalled.received.then(() => {
    interrupted = true;
    stopAll();
  });
  // Every path is followed (once, however often it is given), so that any order works: after a
  // rotation, `audit.ndjson.1` holds what was read as `audit.ndjson`, and the printer skips it.
  // Each file is read as it is now before the next, so that records print in the order given.
  for (const file of distinctPaths(files)) {
    try {
      followers.push(
        followFile(file, {
          onLine: (raw, n) => printer.print(raw, file, n),
          onTooLong: (n, bytes) =>
            io.err(printable(`${file}:${n}: line is ${bytes} bytes, longer than ${MAX_LINE_BYTES}, skipped`)),
          maxLineBytes: MAX_LINE_BYTES,
        }),
      );
    } catch (error) {
      stopAll();
      signalled.cancel();
      throw unreadable(file, error);
    }
    await followers.at(-1)!.catchUp();
    if (interrupted) return ExitCode.ok;
  }
  // Each follower has read its file as it was; from here on records only come appended. A
  // machine unseen so far may still come: said once, and followed all the same.
  printer.flush();
  const unknown = unknownMachines(printer);
  if (unknown !== undefined) io.err(`flagstate: warning: ${unknown}; following on`);
  printer.settle();
  // One timer for every path, so that all of them are looked at the same moment.
  timer = setInterval(() => pollFollowers(followers), POLL_MS);
  await signalled.received;
  return ExitCode.ok;
}

/** The files in the order given, each path once (the first spelling of it is kept). */
function distinctPaths(files: readonly string[]): string[] {
  const seen = new Set<string>();
  return files.filter((file) => {
    const path = resolve(file);
    if (seen.has(path)) return false;
    seen.add(path);
    return true;
  });
}
