import { basename } from 'node:path';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, describe } from 'vitest';
import { ConformanceWorld } from './conformance-world.js';
import { flagdEvaluatorSteps } from './flagd-evaluator-steps.js';
import { loadFlagdEvaluatorSuite, skipFlagdScenario } from './flagd-evaluator-suite.js';
import { describeFeatures } from './gherkin-runner.js';

const { features, flagsFile, document, overlay } = loadFlagdEvaluatorSuite();
const world = () => new ConformanceWorld();

afterAll(() => OpenFeature.clearProviders());

describe(`flagd evaluator suite over ${basename(flagsFile)}`, () => {
  describeFeatures(features, { steps: flagdEvaluatorSteps(document), world, skip: skipFlagdScenario });
});

const bound = [...overlay.enforce.keys()].map((k) => `${k} (enforce)`).concat([...overlay.audit.keys()]);
describe(`flagd evaluator suite over ${basename(flagsFile)} with machines bound to ${bound.join(', ')}`, () => {
  describeFeatures(features, {
    steps: flagdEvaluatorSteps(overlay.document),
    world,
    skip: skipFlagdScenario,
  });
});
