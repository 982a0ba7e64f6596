import { type Feature, loadFeatures, type Scenario } from './gherkin-runner.js';
import { flagKeysWithEmptyMetadata, type MachineOverlay, withMachines } from './machine-overlay.js';
import { flagdEvaluatorSuite, readJsonObject } from './suite-config.js';

/** The flagd evaluator suite as configured: its features, its flags document, that plus machines. */
export interface LoadedFlagdEvaluatorSuite {
  readonly features: readonly Feature[];
  readonly flagsFile: string;
  readonly document: Record<string, unknown>;
  readonly overlay: MachineOverlay;
}

export function loadFlagdEvaluatorSuite(): LoadedFlagdEvaluatorSuite {
  const suite = flagdEvaluatorSuite();
  const features = loadFeatures(suite.featuresDir);
  const document = readJsonObject(suite.flagsFile);
  return {
    features,
    flagsFile: suite.flagsFile,
    document,
    overlay: withMachines(document, flagKeysWithEmptyMetadata(features)),
  };
}

/** `@fractional-v1` examples describe a legacy bucketing that flagd-core no longer uses. */
export function skipFlagdScenario(scenario: Scenario): string | undefined {
  return scenario.tags.includes('@fractional-v1')
    ? '@fractional-v1: legacy bucketing that flagd-core no longer uses'
    : undefined;
}
