// Where the Prometheus test's server comes from: Debian's `prometheus` package (.ci/run installs it).
import { findBinary, unavailableUnlessCi } from './find-binary.js';

/** The prometheus binary: $PROMETHEUS, else the first on $PATH. */
export const findPrometheus = (): string | undefined => findBinary('prometheus', 'PROMETHEUS');

/** Why the Prometheus test cannot run here, or `undefined` when it can (throws under CI). */
export function prometheusUnavailable(): string | undefined {
  const reason =
    findPrometheus() === undefined
      ? 'no prometheus binary on PATH (Debian: apt-get install prometheus; or set PROMETHEUS)'
      : undefined;
  return unavailableUnlessCi(reason, 'Prometheus test');
}
