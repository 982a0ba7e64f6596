// Where a test's server binary comes from: an environment variable, else $PATH.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The executable `name`: `$<envVariable>`, else the first on $PATH. */
export function findBinary(name: string, envVariable: string): string | undefined {
  const candidates = [
    process.env[envVariable],
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name)),
  ];
  for (const path of candidates) {
    if (!path) continue;
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not there
    }
  }
  return undefined;
}

/**
 * `reason` when a test cannot run here, `undefined` when it can. Under CI a reason throws
 * instead: CI installs every server the tests need and must never skip them.
 */
export function unavailableUnlessCi(reason: string | undefined, what: string): string | undefined {
  if (reason !== undefined && process.env.CI) throw new Error(`CI must run the ${what}, but ${reason}`);
  return reason;
}
