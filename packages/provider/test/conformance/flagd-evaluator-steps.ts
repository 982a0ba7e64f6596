import { expect } from 'vitest';
import type { ConformanceWorld } from './conformance-world.js';
import { evaluateDetails } from './evaluate.js';
import { StepDefinitions } from './gherkin-runner.js';
import { isFlagType, parseFlagValue, parseTypedValue } from './step-values.js';

/**
 * The step language of the flagd evaluator suite (flagd-testbed `evaluator/`), as the
 * OpenFeature contrib providers bind it; "an evaluator" is a fresh provider over `document`.
 * The OpenFeature spec's metadata.feature speaks the same language after "a stable provider".
 */
export function flagdEvaluatorSteps(document: object): StepDefinitions<ConformanceWorld> {
  return defineFlagdEvaluationSteps(new StepDefinitions<ConformanceWorld>()).define(
    /^an evaluator$/,
    ({ world }) => world.start(document),
  );
}

/** Every step of the language except the one that sets the provider up. */
export function defineFlagdEvaluationSteps<W extends ConformanceWorld>(
  steps: StepDefinitions<W>,
): StepDefinitions<W> {
  return steps
    .define(
      /^a ([A-Za-z]+)-flag with key "(.*)" and a (?:fallback|default) value "(.*)"$/,
      ({ world }, type, key, fallback) => {
        if (!isFlagType(type)) throw new Error(`unknown flag type "${type}"`);
        world.flag = { type, key, fallback: parseFlagValue(type, fallback) };
      },
    )
    .define(
      /^a context containing a key "(.*)", with type "(.*)" and with value "(.*)"$/,
      ({ world }, key, type, value) => {
        world.context[key] = parseTypedValue(type, value);
      },
    )
    .define(/^a context containing a targeting key with value "(.*)"$/, ({ world }, value) => {
      world.context.targetingKey = value;
    })
    .define(
      /^a context containing a nested property with outer key "(.*)" and inner key "(.*)", with value "(.*)"$/,
      ({ world }, outer, inner, value) => {
        const existing = world.context[outer];
        const base =
          typeof existing === 'object' && existing !== null && !Array.isArray(existing) ? existing : {};
        world.context[outer] = { ...base, [inner]: value };
      },
    )
    .define(/^the flag was evaluated with details$/, async ({ world }) => {
      const { type, key, fallback } = world.flag;
      world.details = await evaluateDetails(world.client, type, key, fallback, world.context);
    })
    .define(/^the resolved details value should be "(.*)"$/, ({ world }, value) => {
      expect(world.details.value).toEqual(parseFlagValue(world.flag.type, value));
    })
    .define(/^the reason should be "(.*)"$/, ({ world }, reason) => {
      expect(world.details.reason).toBe(reason);
    })
    .define(/^the error-code should be "(.*)"$/, ({ world }, code) => {
      expect(world.details.errorCode).toBe(code === '' ? undefined : code);
    })
    .define(/^the resolved metadata should contain$/, ({ world, step }) => {
      const [header, ...rows] = step.table ?? [];
      const column = (name: string) => {
        const i = header?.indexOf(name) ?? -1;
        if (i < 0) throw new Error(`the metadata table has no "${name}" column`);
        return i;
      };
      const [k, t, v] = [column('key'), column('metadata_type'), column('value')];
      if (rows.length === 0) throw new Error('the metadata table has no rows: it would check nothing');
      for (const row of rows) {
        const key = row[k] ?? '';
        expect(world.details.flagMetadata, `metadata "${key}"`).toHaveProperty(
          [key],
          parseTypedValue(row[t] ?? '', row[v] ?? ''),
        );
      }
    })
    .define(/^the resolved metadata is empty$/, ({ world }) => {
      expect(world.details.flagMetadata).toEqual({});
    });
}
