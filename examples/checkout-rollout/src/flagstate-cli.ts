import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** What one `flagstate` command printed, and how it exited. */
export interface CliResult {
  readonly code: number;
  readonly output: string;
}

const require = createRequire(import.meta.url);

/** The built `flagstate` command, found through the @flagstate/cli package's `bin`. */
export function flagstateBin(): string {
  const manifestPath = require.resolve('@flagstate/cli/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: Record<string, string> };
  const bin = manifest.bin?.flagstate;
  if (bin === undefined) throw new Error(`${manifestPath} has no "flagstate" bin`);
  return join(dirname(manifestPath), bin);
}

/**
 * Runs `flagstate <args>` in a child process, without blocking the event loop (the service
 * keeps serving meanwhile). Never rejects: a command that could not run reports code -1.
 */
export function runFlagstate(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [flagstateBin(), ...args],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trimEnd();
        if (error === null) resolve({ code: 0, output });
        else
          resolve({
            code: typeof error.code === 'number' ? error.code : -1,
            output: output || error.message,
          });
      },
    );
  });
}
