import { CommanderError } from 'commander';
import { ExitCode } from './exit-code.js';
import { isFileError } from './internal/unreadable.js';
import type { Io } from './io.js';
import { createProgram } from './program.js';
import { UsageError } from './usage-error.js';

/**
 * Parses `args` (without `node` and the script) and runs the command. Resolves with the exit
 * code rather than exiting, so that output written to a pipe is never cut short.
 */
export async function runProgram(args: readonly string[], io: Io): Promise<ExitCode> {
  let code: ExitCode = ExitCode.ok;
  const program = createProgram({ io, done: (c) => (code = c) });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return code;
  } catch (error) {
    return exitCodeOf(error, io);
  }
}

function exitCodeOf(error: unknown, io: Io): ExitCode {
  // Commander has printed its message already; --help and --version exit 0, the rest is usage.
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (error instanceof UsageError || isFileError(error)) {
    io.err(`flagstate: ${(error as Error).message}`);
    return ExitCode.usage;
  }
  io.err(
    `flagstate: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return ExitCode.failed;
}
