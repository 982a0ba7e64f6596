import type { AuditLog } from '@flagstate/audit';
import type { FailureReporter } from './telemetry-sources.js';

const watchers = new WeakMap<AuditLog, Set<WeakRef<FailureReporter>>>();

/**
 * Reports an audit log's sink failures to `reporter`. One listener per log, however many hooks
 * share it, holding reporters weakly: hooks come and go (a provider per test, per tenant) and
 * neither pile up listeners nor are kept alive by the log.
 */
export function watchSinkFailures(audit: AuditLog, reporter: FailureReporter): void {
  let reporters = watchers.get(audit);
  if (reporters === undefined) {
    const set = new Set<WeakRef<FailureReporter>>();
    reporters = set;
    watchers.set(audit, set);
    audit.on('error', (error: unknown) => {
      for (const ref of set) {
        const live = ref.deref();
        if (live === undefined) set.delete(ref);
        else live.report('audit sink', error);
      }
    });
  }
  reporters.add(new WeakRef(reporter));
}
