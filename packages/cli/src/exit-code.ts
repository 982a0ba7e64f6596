/** The exit codes every command shares, as the README documents them. */
export const ExitCode = {
  /** The command did what was asked, and every check passed. */
  ok: 0,
  /** A check failed: an invalid document, a broken audit chain, replay conflicts. */
  failed: 1,
  /** Bad usage: unknown command or option, missing argument, unreadable file. */
  usage: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
