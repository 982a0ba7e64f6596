import { setTimeout as sleep } from 'node:timers/promises';
import type { StateMachineProvider } from '@flagstate/provider';
import type { ConsoleReporter } from './console-reporter.js';
import { writeAtomically } from './flag-file.js';
import type { ProviderEventLog } from './provider-events.js';
import type { PlannedStep, RolloutStep } from './rollout-plan.js';
import type { ServiceStats } from './service-stats.js';

export interface RolloutContext {
  readonly flagsPath: string;
  readonly durationMs: number;
  /** `performance.now()` when the load started; step times are relative to it. */
  readonly startedAt: number;
  /** The provider serving now (a restart replaces it). */
  readonly provider: () => StateMachineProvider;
  readonly events: ProviderEventLog;
  readonly stats: ServiceStats;
  readonly reporter: ConsoleReporter;
  /** Called with each document the provider accepted; the next step waits for its promise. */
  readonly onApplied?: (spec: RolloutStep['spec']) => void | Promise<void>;
}

/** How the illegal edit went: refused by the CLI and by the provider, and nothing broke. */
export interface IllegalEditReport {
  readonly validateCode: number;
  readonly providerError: string;
  readonly lastGoodRevision: string | undefined;
  /** Evaluations served while the bad file was on disk, and from which revisions. */
  readonly servedRequests: number;
  readonly servedErrors: number;
  readonly servedRevisions: readonly string[];
}

export interface RolloutReport {
  readonly illegal: IllegalEditReport | undefined;
  /** Anything that did not go as the script expects. */
  readonly problems: readonly string[];
}

interface BadWindow {
  readonly requests: number;
  readonly errors: number;
  readonly revisions: ReadonlyMap<string, number>;
  readonly validateCode: number;
  readonly providerError: string;
  readonly lastGoodRevision: string | undefined;
}

const INDENT = ' '.repeat(9);

/** Applies each planned step at its time and reports how the provider took it. */
export async function runRollout(ctx: RolloutContext, plan: readonly PlannedStep[]): Promise<RolloutReport> {
  const { reporter: out, stats } = ctx;
  const problems: string[] = [];
  let illegal: IllegalEditReport | undefined;
  let bad: BadWindow | undefined;

  for (const [i, { step, text, validate }] of plan.entries()) {
    await sleep(Math.max(0, ctx.startedAt + step.at * ctx.durationMs - performance.now()));
    const at = ((performance.now() - ctx.startedAt) / 1000).toFixed(1).padStart(5);
    out.line(`[${at}s] step ${i + 1}/${plan.length}  ${step.title}`);
    const firstLine = validate.output.split('\n')[0] ?? '';
    out.line(`${INDENT}flagstate validate -> exit ${validate.code}: ${firstLine.replace(/^[^:]*: /, '')}`);
    const expected = step.spec.illegal ? 1 : 0;
    if (validate.code !== expected)
      problems.push(`step ${i + 1}: validate exited ${validate.code}, expected ${expected}`);
    if (step.spec.illegal) out.line(`${INDENT}applied anyway, as a hand edit on the server would be`);

    if (bad !== undefined) {
      // The bad file was live until now: what was served meanwhile, and from which revision.
      illegal = closeBadWindow(bad, stats);
      bad = undefined;
      const kept =
        illegal.servedRevisions.length === 1 && illegal.servedRevisions[0] === illegal.lastGoodRevision;
      if (illegal.servedErrors > 0 || !kept) {
        problems.push(
          `while the bad file was live: ${illegal.servedErrors} errors, revisions ${illegal.servedRevisions.join(', ')} (last good: ${illegal.lastGoodRevision})`,
        );
      }
    }

    const lastGood = ctx.provider().document?.revision;
    const outcome = ctx.events.next(3000);
    await writeAtomically(ctx.flagsPath, text);
    const result = await outcome;

    if (result.kind === 'changed') {
      out.line(
        `${INDENT}provider: PROVIDER_CONFIGURATION_CHANGED (${result.flagsChanged.join(', ')}), serving revision ${ctx.provider().document?.revision}`,
      );
      await ctx.onApplied?.(step.spec);
      if (step.spec.illegal) problems.push(`step ${i + 1}: the provider accepted the illegal edit`);
      if (illegal !== undefined && plan[i - 1]?.step.spec.illegal) {
        out.line(
          `${INDENT}recovered; while the bad file was live, ${illegal.servedRequests} evaluations were served ` +
            `from revision ${illegal.servedRevisions.join(', ') || '(none)'} with ${illegal.servedErrors} errors`,
        );
      }
    } else if (result.kind === 'error') {
      out.line(`${INDENT}provider: PROVIDER_ERROR`);
      for (const line of result.message.split('\n')) out.line(`${INDENT}  ${line.trim()}`);
      if (step.spec.illegal) {
        bad = {
          requests: stats.requests,
          errors: stats.errors,
          revisions: new Map(stats.byRevision),
          validateCode: validate.code,
          providerError: result.message,
          lastGoodRevision: lastGood,
        };
      } else {
        problems.push(`step ${i + 1}: the provider refused a valid edit: ${result.message}`);
      }
    } else {
      out.line(`${INDENT}provider: no event within 3 s`);
      problems.push(`step ${i + 1}: the provider did not react to the edit`);
    }
  }
  if (bad !== undefined) problems.push('the run ended with the illegal edit still on disk');
  if (illegal === undefined) problems.push('the illegal edit was not reported as refused');
  return { illegal, problems };
}

function closeBadWindow(bad: BadWindow, stats: ServiceStats): IllegalEditReport {
  const revisions = [...stats.byRevision].filter(([rev, n]) => n > (bad.revisions.get(rev) ?? 0));
  return {
    validateCode: bad.validateCode,
    providerError: bad.providerError,
    lastGoodRevision: bad.lastGoodRevision,
    servedRequests: stats.requests - bad.requests,
    servedErrors: stats.errors - bad.errors,
    servedRevisions: revisions.map(([rev]) => rev),
  };
}
