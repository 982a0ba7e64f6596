// Where the Prometheus test's server comes from: Debian's `prometheus` package (.ci/run installs it).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The prometheus binary: $PROMETHEUS, else the first on $PATH. */
export function findPrometheus(): string | undefined {
  const candidates = [
    process.env.PROMETHEUS,
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'prometheus')),
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
 * Why the Prometheus test cannot run here, or `undefined` when it can. Under CI this throws
 * instead: CI installs prometheus and must never skip the test.
 */
export function prometheusUnavailable(): string | undefined {
  if (findPrometheus() !== undefined) return undefined;
  const reason = 'no prometheus binary on PATH (Debian: apt-get install prometheus; or set PROMETHEUS)';
  if (process.env.CI) throw new Error(`CI must run the Prometheus test, but ${reason}`);
  return reason;
}
