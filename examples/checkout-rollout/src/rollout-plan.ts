import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FlagFileSpec, flagFileText } from './flag-file.js';
import { type CliResult, runFlagstate } from './flagstate-cli.js';

/** One edit of the flag file, at a fraction of the run. */
export interface RolloutStep {
  readonly at: number;
  readonly title: string;
  readonly spec: Omit<FlagFileSpec, 'minDwellMs'>;
}

/** What the file says before the first step: everyone on legacy, the gate open. */
export const INITIAL: RolloutStep['spec'] = { v2Percent: 0, gateOn: true };

/** The rollout, proportional to the run's length. */
export const TIMELINE: readonly RolloutStep[] = [
  { at: 0.1, title: 'canary: targeting sends 10% of users to v2', spec: { v2Percent: 10, gateOn: true } },
  { at: 0.3, title: 'widen: 50% of users to v2', spec: { v2Percent: 50, gateOn: true } },
  {
    at: 0.4,
    title: 'illegal edit: a transition to an unknown state "v3"',
    spec: { v2Percent: 50, gateOn: true, illegal: true },
  },
  { at: 0.5, title: 'rollback: 50% back to 20%', spec: { v2Percent: 20, gateOn: true } },
  {
    at: 0.6,
    title: '100% of users to v2, promotion paused (checkout-v2-allowed off)',
    spec: { v2Percent: 100, gateOn: false },
  },
  { at: 0.8, title: 'gate on: canary users may now be promoted', spec: { v2Percent: 100, gateOn: true } },
];

/** A step written to its own file and checked by `flagstate validate`, as CI would check a commit. */
export interface PlannedStep {
  readonly step: RolloutStep;
  readonly file: string;
  readonly text: string;
  readonly validate: CliResult;
}

/**
 * Writes every step's document to `dir` (`step-1.yaml`, …) and validates them all, in
 * parallel, before the run: spawning the CLI mid-run would stall the service's event loop and
 * skew the timeline.
 */
export async function planRollout(dir: string, minDwellMs: number, shown: (path: string) => string) {
  await mkdir(dir, { recursive: true });
  return Promise.all(
    TIMELINE.map(async (step, i): Promise<PlannedStep> => {
      const file = join(dir, `step-${i + 1}.yaml`);
      const text = flagFileText({ ...step.spec, minDwellMs }, `step ${i + 1}: ${step.title}`);
      await writeFile(file, text, 'utf8');
      return { step, file, text, validate: await runFlagstate(['validate', shown(file)]) };
    }),
  );
}
