import type { JsonValue } from '@openfeature/server-sdk';
import { expect } from 'vitest';
import { ConformanceWorld } from './conformance-world.js';
import { evaluateDetails, evaluateValue } from './evaluate.js';
import { defineFlagdEvaluationSteps } from './flagd-evaluator-steps.js';
import { StepDefinitions } from './gherkin-runner.js';
import { type FlagType, parseFlagValue } from './step-values.js';

/** A scenario of the OpenFeature spec suite: also keeps the last value-only evaluation. */
export class SpecWorld extends ConformanceWorld {
  #value: { readonly value: JsonValue } | undefined;

  get value(): JsonValue {
    if (this.#value === undefined) throw new Error('no value evaluated yet');
    return this.#value.value;
  }

  set value(value: JsonValue) {
    this.#value = { value };
  }
}

const TYPES: Readonly<Record<string, FlagType>> = {
  boolean: 'Boolean',
  string: 'String',
  integer: 'Integer',
  float: 'Float',
  object: 'Object',
};

function flagType(word: string): FlagType {
  const type = TYPES[word];
  if (type === undefined) throw new Error(`unknown flag type "${word}"`);
  return type;
}

/**
 * A list as the spec's steps write one: `"a", "b", and "c"` or `"x", 29, "false"`. Quoted
 * "true" and "false" are booleans (as the OpenFeature SDKs' step definitions read them),
 * other quoted items strings, bare numbers numbers.
 */
export function parseList(text: string): JsonValue[] {
  return [...text.matchAll(/"([^"]*)"|(-?\d+(?:\.\d+)?)/g)].map(([, quoted, number]) => {
    if (quoted === undefined) return Number(number);
    return quoted === 'true' ? true : quoted === 'false' ? false : quoted;
  });
}

/**
 * The steps of the OpenFeature spec's evaluation.feature and metadata.feature; "a stable
 * provider" is a fresh provider over `document`. metadata.feature speaks the flagd step language.
 */
export function openFeatureSpecSteps(document: object): StepDefinitions<SpecWorld> {
  return defineFlagdEvaluationSteps(new StepDefinitions<SpecWorld>())
    .define(/^a stable provider$/, ({ world }) => world.start(document))
    .define(
      /^an? (boolean|string|integer|float) flag with key "(.*)" is evaluated with default value "?([^"]*)"?$/,
      async ({ world }, word, key, fallback) => {
        const type = flagType(word);
        world.flag = { type, key, fallback: parseFlagValue(type, fallback) };
        world.value = await evaluateValue(world.client, type, key, world.flag.fallback, world.context);
      },
    )
    .define(
      /^an? (boolean|string|integer|float) flag with key "(.*)" is evaluated with details and default value "?([^"]*)"?$/,
      async ({ world }, word, key, fallback) => {
        const type = flagType(word);
        world.flag = { type, key, fallback: parseFlagValue(type, fallback) };
        world.details = await evaluateDetails(world.client, type, key, world.flag.fallback, world.context);
      },
    )
    .define(
      /^an object flag with key "(.*)" is evaluated with a null default value$/,
      async ({ world }, key) => {
        world.flag = { type: 'Object', key, fallback: null };
        world.value = await evaluateValue(world.client, 'Object', key, null, world.context);
      },
    )
    .define(
      /^an object flag with key "(.*)" is evaluated with details and a null default value$/,
      async ({ world }, key) => {
        world.flag = { type: 'Object', key, fallback: null };
        world.details = await evaluateDetails(world.client, 'Object', key, null, world.context);
      },
    )
    .define(
      /^the resolved (boolean|string|integer|float) value should be "?([^"]*)"?$/,
      ({ world }, word, value) => {
        const type = flagType(word);
        expect(world.flag.type).toBe(type);
        expect(world.value).toEqual(parseFlagValue(type, value));
      },
    )
    .define(
      /^the resolved (boolean|string|integer|float) details value should be "?([^"]*)"?, the variant should be "(.*)", and the reason should be "(.*)"$/,
      ({ world }, word, value, variant, reason) => {
        const type = flagType(word);
        expect(world.flag.type).toBe(type);
        expect(world.details.value).toEqual(parseFlagValue(type, value));
        expect(world.details.variant).toBe(variant);
        expect(world.details.reason).toBe(reason);
      },
    )
    .define(
      /^the resolved object (value|details value) should be contain fields (.*), with values (.*), respectively$/,
      ({ world }, which, fields, values) => {
        const names = parseList(fields);
        const expected = parseList(values);
        if (names.length === 0 || names.length !== expected.length) {
          throw new Error(`cannot pair fields ${fields} with values ${values}`);
        }
        const actual = which === 'value' ? world.value : world.details.value;
        names.forEach((name, i) => {
          expect(actual).toHaveProperty([String(name)], expected[i]);
        });
      },
    )
    .define(
      /^the variant should be "(.*)", and the reason should be "(.*)"$/,
      ({ world }, variant, reason) => {
        expect(world.details.variant).toBe(variant);
        expect(world.details.reason).toBe(reason);
      },
    )
    .define(/^context contains keys (.*) with values (.*)$/, ({ world }, keys, values) => {
      const names = parseList(keys);
      const parsed = parseList(values);
      if (names.length === 0 || names.length !== parsed.length) {
        throw new Error(`cannot pair keys ${keys} with values ${values}`);
      }
      names.forEach((name, i) => {
        const value = parsed[i];
        if (typeof value === 'object')
          throw new Error(`context value ${JSON.stringify(value)} is not a scalar`);
        if (value !== undefined) world.context[String(name)] = value;
      });
    })
    .define(
      /^a flag with key "(.*)" is evaluated with default value "(.*)"$/,
      async ({ world }, key, fallback) => {
        world.flag = { type: 'String', key, fallback };
        world.value = await evaluateValue(world.client, 'String', key, fallback, world.context);
      },
    )
    .define(/^the resolved string response should be "(.*)"$/, ({ world }, value) => {
      expect(world.value).toBe(value);
    })
    .define(/^the resolved flag value is "(.*)" when the context is empty$/, async ({ world }, value) => {
      const { type, key, fallback } = world.flag;
      const details = await evaluateDetails(world.client, type, key, fallback, {});
      // The expected value is also the fallback: an evaluation error would pass unnoticed.
      expect(details.errorCode).toBeUndefined();
      expect(details.value).toBe(value);
    })
    .define(
      /^a non-existent string flag with key "(.*)" is evaluated with details and a fallback value "(.*)"$/,
      async ({ world }, key, fallback) => {
        world.flag = { type: 'String', key, fallback };
        world.details = await evaluateDetails(world.client, 'String', key, fallback, world.context);
      },
    )
    .define(
      /^a string flag with key "(.*)" is evaluated as an integer, with details and a fallback value (-?\d+)$/,
      async ({ world }, key, fallback) => {
        world.flag = { type: 'Integer', key, fallback: parseFlagValue('Integer', fallback) };
        world.details = await evaluateDetails(
          world.client,
          'Integer',
          key,
          world.flag.fallback,
          world.context,
        );
      },
    )
    .define(/^the default (string|integer) value should be returned$/, ({ world }, word) => {
      expect(world.flag.type).toBe(flagType(word));
      expect(world.details.value).toEqual(world.flag.fallback);
    })
    .define(
      /^the reason should indicate an error and the error code should indicate a (?:missing flag|type mismatch) with "(.*)"$/,
      ({ world }, code) => {
        expect(world.details.reason).toBe('ERROR');
        expect(world.details.errorCode).toBe(code);
      },
    );
}
