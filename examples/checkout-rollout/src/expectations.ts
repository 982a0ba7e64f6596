import type { AuditReport } from './audit-report.js';
import type { Comparison } from './consistency.js';
import type { CliResult } from './flagstate-cli.js';
import type { LoadStats } from './load-generator.js';
import type { RestartReport } from './restart.js';
import type { RolloutReport } from './rollout-script.js';
import type { ServiceStats } from './service-stats.js';

export interface RunFacts {
  readonly restart: RestartReport | undefined;
  readonly audit: AuditReport;
  readonly cliVerify: CliResult;
  readonly statez: Comparison;
  readonly snapshot: Comparison;
  readonly rollout: RolloutReport;
  readonly load: LoadStats;
  readonly service: ServiceStats;
}

/**
 * Why the run failed, if it did. It passes when the chain verifies (in process and with the
 * CLI), the replay matches both `/statez` and the store, every request was answered, the
 * rollout went as scripted, and the audit shows the canary start, a promotion, a rollback and
 * bake-time holds.
 */
export function checkRun(f: RunFacts): string[] {
  const problems: string[] = [];
  if (!f.audit.verify.ok)
    problems.push(`the audit chain does not verify: ${f.audit.verify.firstBad?.message}`);
  if (f.cliVerify.code !== 0)
    problems.push(`flagstate verify exited ${f.cliVerify.code}: ${f.cliVerify.output}`);
  if (!f.statez.ok) problems.push(`replay does not match /statez: ${f.statez.detail}`);
  if (!f.snapshot.ok) problems.push(`replay does not match the store: ${f.snapshot.detail}`);
  problems.push(...f.rollout.problems);
  if (f.load.ok === 0) problems.push('no request was answered');
  if (f.load.failed > 0) problems.push(`${f.load.failed} requests failed (last: ${f.load.lastError})`);
  if (f.service.errors > 0) problems.push(`${f.service.errors} flag evaluations returned an error`);
  const { transitions, byName, byAction } = f.audit;
  if ((transitions.get('legacy->canary') ?? 0) === 0) problems.push('no legacy -> canary transition');
  if ((transitions.get('canary->v2') ?? 0) === 0) problems.push('no canary -> v2 promotion');
  if ((byName.get('rollback') ?? 0) === 0) problems.push('no rollback transition');
  if ((byAction.get('state-transition-held') ?? 0) === 0) problems.push('no held record');
  const r = f.restart;
  if (r === undefined) problems.push('the service did not restart');
  else {
    if (r.mismatches.length > 0) problems.push(`a record changed across the restart: ${r.mismatches[0]}`);
    if (r.heldBefore === 0) problems.push('no subject was held when the service restarted');
    if (r.heldAfter !== r.heldBefore)
      problems.push(`${r.heldBefore - r.heldAfter} held subjects were not held after the restart`);
  }
  const lifetimes = f.audit.verify.streams.length;
  if (lifetimes < 2) problems.push(`the audit holds ${lifetimes} stream(s), not one per lifetime`);
  return problems;
}
