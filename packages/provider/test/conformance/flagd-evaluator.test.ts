import { basename } from 'node:path';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { ConformanceWorld } from './conformance-world.js';
import { flagdEvaluatorSteps, type ObservationTally } from './flagd-evaluator-steps.js';
import { loadFlagdEvaluatorSuite, skipFlagdScenario } from './flagd-evaluator-suite.js';
import { describeFeatures } from './gherkin-runner.js';

const { features, flagsFile, document, overlay } = loadFlagdEvaluatorSuite();
const world = () => new ConformanceWorld();

afterAll(() => OpenFeature.clearProviders());

describe(`flagd evaluator suite over ${basename(flagsFile)}`, () => {
  describeFeatures(features, { steps: flagdEvaluatorSteps(document), world, skip: skipFlagdScenario });
});

const tally: ObservationTally = { observed: 0, enforced: 0, errors: 0 };
const bound = `${overlay.enforce.size} flags enforced, ${overlay.audit.size} audited`;
describe(`flagd evaluator suite over ${basename(flagsFile)} with machines bound to every flag (${bound})`, () => {
  describeFeatures(features, {
    steps: flagdEvaluatorSteps(overlay.document, { machines: overlay, tally }),
    world,
    skip: skipFlagdScenario,
  });

  it('observed the evaluations of that run as states, most of them enforced', () => {
    // Each evaluation was checked in its step; this proves the checks ran.
    expect(tally.observed).toBeGreaterThan(50);
    expect(tally.enforced).toBeGreaterThan(tally.observed / 2);
    expect(tally.errors).toBeGreaterThan(0);
  });
});
