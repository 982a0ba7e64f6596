import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type EvaluationContext, type JsonValue, OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateDetails } from './evaluate.js';
import { CEL_TRANSLATIONS, openFeatureSpecDocument } from './openfeature-spec-flags.js';
import { openSession, type ProviderSession } from './provider-session.js';
import type { FlagType } from './step-values.js';
import { DATA_DIR } from './suite-config.js';

// The contexts of the spec's README ("Test Context Examples") and what they should trigger.
const TARGETED_ZERO: EvaluationContext = {
  targetingKey: 'user1',
  email: 'ballmer@macrosoft.com',
  customer: false,
  age: 25,
};
const COMPLEX: EvaluationContext = {
  targetingKey: 'user2',
  email: 'ballmer@macrosoft.com',
  customer: false,
  age: 15,
};
const OTHER_EMAIL: EvaluationContext = { targetingKey: 'user3', email: 'jobs@orange.com' };
const NO_MATCH: EvaluationContext = {
  targetingKey: 'user4',
  email: 'test@example.com',
  customer: true,
  age: 30,
};

const ZERO_FLAGS: ReadonlyArray<[string, FlagType, JsonValue, JsonValue]> = [
  ['boolean-targeted-zero-flag', 'Boolean', true, false],
  ['string-targeted-zero-flag', 'String', 'fallback', ''],
  ['integer-targeted-zero-flag', 'Integer', 7, 0],
  ['float-targeted-zero-flag', 'Float', 0.7, 0],
  ['object-targeted-zero-flag', 'Object', { fallback: true }, {}],
];

let session: ProviderSession;
beforeAll(async () => {
  session = await openSession(openFeatureSpecDocument());
});
afterAll(async () => {
  await session.close();
  await OpenFeature.clearProviders();
});

describe('test-flags.json translated to a flagd document', () => {
  it.each(ZERO_FLAGS)(
    "%s: CEL \"email == ... ? 'zero' : ''\" as JSON Logic",
    async (key, type, fallback, zero) => {
      const hit = await evaluateDetails(session.client, type, key, fallback, TARGETED_ZERO);
      expect(hit).toMatchObject({ value: zero, variant: 'zero', reason: 'TARGETING_MATCH' });
      const miss = await evaluateDetails(session.client, type, key, fallback, NO_MATCH);
      expect(miss).toMatchObject({ value: zero, variant: 'zero', reason: 'DEFAULT' });
    },
  );

  it.each([
    ['complex targeting', COMPLEX, 'INTERNAL', 'TARGETING_MATCH'],
    ['targeted-zero context (age 25)', TARGETED_ZERO, 'INTERNAL', 'TARGETING_MATCH'],
    ['another email, no customer or age', OTHER_EMAIL, 'EXTERNAL', 'DEFAULT'],
    ['a customer', NO_MATCH, 'EXTERNAL', 'DEFAULT'],
    [
      'customer missing (CEL: no variant)',
      { email: 'ballmer@macrosoft.com', age: 25 },
      'EXTERNAL',
      'DEFAULT',
    ],
    ['age 10 (not > 10)', { ...COMPLEX, age: 10 }, 'EXTERNAL', 'DEFAULT'],
  ])('complex-targeted, %s', async (_name, context, value, reason) => {
    const details = await session.client.getStringDetails('complex-targeted', 'fallback', context);
    expect(details).toMatchObject({ value, reason });
    expect(details.errorCode).toBeUndefined();
  });

  it('turns "disabled" into state DISABLED and flagMetadata into metadata', async () => {
    const disabled = await session.client.getBooleanDetails('boolean-disabled-flag', false);
    expect(disabled).toMatchObject({ value: false, reason: 'DISABLED' });
    const metadata = await session.client.getBooleanDetails('metadata-flag', false);
    expect(metadata.flagMetadata).toEqual({ string: '1.0.2', integer: 2, boolean: true, float: 0.1 });
  });

  it('refuses a contextEvaluator whose CEL differs from the one translated', () => {
    const spec = JSON.parse(readFileSync(resolve(DATA_DIR, 'openfeature-spec/test-flags.json'), 'utf8'));
    spec['complex-targeted'].contextEvaluator = "customer ? 'internal' : ''";
    const dir = mkdtempSync(join(tmpdir(), 'flagstate-spec-'));
    try {
      writeFileSync(join(dir, 'test-flags.json'), JSON.stringify(spec));
      expect(() => openFeatureSpecDocument(join(dir, 'test-flags.json'))).toThrow(
        'complex-targeted: no translation',
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
    expect(Object.keys(CEL_TRANSLATIONS).sort()).toEqual(
      Object.entries(spec as Record<string, { contextEvaluator?: string }>)
        .filter(([, flag]) => flag.contextEvaluator !== undefined)
        .map(([key]) => key)
        .sort(),
    );
  });
});
