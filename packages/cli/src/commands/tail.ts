import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-code.js';
import { collect } from '../internal/collect.js';
import { type FileFollower, followFile } from '../internal/follow-file.js';
import { readTextFile } from '../internal/read-text-file.js';
import { createRecordPrinter } from '../internal/record-printer.js';
import { unreadable } from '../internal/unreadable.js';
import { untilSignal } from '../internal/until-signal.js';
import type { Io } from '../io.js';

export interface TailOptions {
  readonly follow?: boolean;
  readonly machine?: string[];
  readonly subject?: string[];
  readonly action?: string[];
  readonly json?: boolean;
}

export function registerTail(program: Command, { io, done }: CommandContext): void {
  program
    .command('tail')
    .description('print audit records as readable lines; --follow keeps reading, across rotation')
    .argument('<file...>', 'audit files (NDJSON), oldest first, e.g. audit.ndjson.1 audit.ndjson')
    .option('-f, --follow', 'keep reading appended records until SIGINT or SIGTERM')
    .option('--machine <id>', 'only records of this machine (repeatable)', collect)
    .option('--subject <id>', 'only records of this subject (repeatable)', collect)
    .option(
      '--action <action>',
      'only this event.action, e.g. state-transition or illegal (repeatable)',
      collect,
    )
    .option('--json', 'print the matching records as NDJSON, unchanged')
    .action(async (files: string[], options: TailOptions) => done(await tail(files, options, io)));
}

/**
 * Prints each matching record once, even when files overlap; with `follow`, keeps going until
 * the process is signalled.
 */
export async function tail(files: readonly string[], options: TailOptions, io: Io): Promise<ExitCode> {
  const printer = createRecordPrinter(options, io);

  if (!options.follow) {
    for (const file of files) {
      const lines = readTextFile(file).split('\n');
      for (const [i, raw] of lines.entries()) printer.print(raw, file, i + 1);
    }
    return ExitCode.ok;
  }

  // Listen before the first read: a signal that arrives while existing lines print must end
  // the command cleanly, not kill it.
  const signalled = untilSignal();
  const followers: FileFollower[] = [];
  try {
    // Every path is followed, so that any order works; after a rotation, `audit.ndjson.1`
    // holds what was read as `audit.ndjson`, and the printer skips it.
    for (const file of files) {
      followers.push(followFile(file, { onLine: (raw, n) => printer.print(raw, file, n) }));
    }
  } catch (error) {
    for (const follower of followers) follower.stop();
    signalled.cancel();
    throw unreadable(files[followers.length]!, error);
  }
  // Each follower has read its file as it was; from here on records only come appended.
  printer.settle();
  await signalled.received;
  for (const follower of followers) follower.stop();
  return ExitCode.ok;
}
