import { processIo } from './io.js';
import { runProgram } from './run-program.js';

// A reader that goes away (`flagstate tail … | head`) is a normal end, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runProgram(process.argv.slice(2), processIo());
