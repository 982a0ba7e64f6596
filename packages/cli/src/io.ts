import { styleText } from 'node:util';

/** A format accepted by `util.styleText`, e.g. `'red'` or `['bold', 'yellow']`. */
export type StyleFormat = Parameters<typeof styleText>[0];

/** Where commands write. Passed in rather than reached for, so that output stays in one place. */
export interface Io {
  /** Writes one line of the command's result to stdout. */
  out(line: string): void;
  /** Writes one line of diagnostics to stderr. */
  err(line: string): void;
  /** Writes text as is, for the parser's own help and errors. */
  writeOut(text: string): void;
  writeErr(text: string): void;
  /** Styles text for stdout: colour only when stdout is a terminal that shows it. */
  style(format: StyleFormat, text: string): string;
}

/** The process's own streams. `hasColors()` also honours NO_COLOR, FORCE_COLOR and TERM. */
export function processIo(): Io {
  const color = process.stdout.isTTY === true && process.stdout.hasColors();
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
    style: color ? (format, text) => styleText(format, text) : (_format, text) => text,
  };
}
