import { resolve } from 'node:path';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, describe } from 'vitest';
import { describeFeatures, loadFeatures } from './gherkin-runner.js';
import { openFeatureSpecDocument } from './openfeature-spec-flags.js';
import { openFeatureSpecSteps, SpecWorld } from './openfeature-spec-steps.js';
import { DATA_DIR } from './suite-config.js';

const features = loadFeatures(resolve(DATA_DIR, 'openfeature-spec'));

afterAll(() => OpenFeature.clearProviders());

describe('OpenFeature spec suite over test-flags.json translated to flagd', () => {
  describeFeatures(features, {
    steps: openFeatureSpecSteps(openFeatureSpecDocument()),
    world: () => new SpecWorld(),
  });
});
