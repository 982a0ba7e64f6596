import type { ConsoleReporter } from './console-reporter.js';
import type { DemoOptions } from './options.js';
import { describeOtlp, type OtlpSignals } from './otlp-env.js';
import type { PlannedStep } from './rollout-plan.js';
import { SERVICE_NAME } from './service.js';

export interface BannerInput {
  readonly options: DemoOptions;
  readonly baseUrl: string;
  readonly flagsFile: string;
  readonly auditFile: string;
  readonly otlp: OtlpSignals;
  readonly plan: readonly PlannedStep[];
  /** A path as the user should see it: relative to the working directory. */
  readonly shown: (path: string) => string;
}

/** What is about to run: the service's address, the files, the load and the rollout plan. */
export function printBanner(out: ConsoleReporter, b: BannerInput): void {
  const { options } = b;
  out.line(`flagstate demo: ${SERVICE_NAME} rolling checkout out legacy -> canary -> v2`);
  out.line(`  service     ${b.baseUrl}  (GET /checkout, /statez, /debug/statemachine, /metrics)`);
  out.line(`  flag file   ${b.flagsFile}  (canary minDwell ${options.minDwellMs} ms, enforcement enforce)`);
  out.line(`  audit       ${b.auditFile}`);
  out.line(`  otlp        ${describeOtlp(b.otlp)}`);
  out.line(
    `  load        ${options.users} users, ${options.concurrency} in flight, ${options.durationMs / 1000} s ` +
      `(at most ${options.maxRequests} requests)`,
  );
  out.line(
    `  rollout     ${b.plan.length} edits of the flag file, each checked first with flagstate validate:`,
  );
  for (const [i, p] of b.plan.entries()) {
    const at = ((p.step.at * options.durationMs) / 1000).toFixed(1).padStart(5);
    out.line(
      `    ${i + 1}. at ${at}s  ${p.step.title}  (${b.shown(p.file)}: validate exit ${p.validate.code})`,
    );
  }
  out.line();
}
