import { Command } from 'commander';
import type { CommandContext } from './command-context.js';
import { registerGraph } from './commands/graph.js';
import { registerReplay } from './commands/replay.js';
import { registerTail } from './commands/tail.js';
import { registerValidate } from './commands/validate.js';
import { registerVerify } from './commands/verify.js';
import { VERSION } from './version.js';

/**
 * The `flagstate` command and its subcommands. Commander throws instead of exiting
 * (`exitOverride`) so that `runProgram` decides every exit code; settings made here, before
 * the subcommands are added, are inherited by each of them.
 */
export function createProgram(context: CommandContext): Command {
  const { io } = context;
  const program = new Command('flagstate')
    .description('validate flag documents, draw their machines, and tail, verify and replay audit streams')
    .version(VERSION, '-V, --version', 'print the version')
    .helpCommand('help [command]', 'show help for a command')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.writeOut(text),
      writeErr: (text) => io.writeErr(text),
    })
    .showHelpAfterError('(run with --help for usage)');
  registerValidate(program, context);
  registerGraph(program, context);
  registerTail(program, context);
  registerVerify(program, context);
  registerReplay(program, context);
  return program;
}
