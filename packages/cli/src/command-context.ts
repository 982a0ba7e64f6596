import type { ExitCode } from './exit-code.js';
import type { Io } from './io.js';

/** What each command's registration needs: where to write, and how to report its exit code. */
export interface CommandContext {
  readonly io: Io;
  /** Records the exit code of the command that ran; the program returns it. */
  done(code: ExitCode): void;
}
