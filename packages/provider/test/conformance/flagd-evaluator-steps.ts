import { expect } from 'vitest';
import type { ConformanceWorld } from './conformance-world.js';
import { evaluateDetails } from './evaluate.js';
import { StepDefinitions } from './gherkin-runner.js';
import { type MachineOverlay, OVERLAY_SUBJECT } from './machine-overlay.js';
import { isFlagType, parseFlagValue, parseTypedValue } from './step-values.js';

/** How many evaluations of a run with machines were checked as state observations. */
export interface ObservationTally {
  observed: number;
  enforced: number;
  errors: number;
}

/**
 * The step language of the flagd evaluator suite (flagd-testbed `evaluator/`), as the
 * OpenFeature contrib providers bind it; "an evaluator" is a fresh provider over `document`.
 * The OpenFeature spec's metadata.feature speaks the same language after "a stable provider".
 * With an `overlay`, every evaluation also carries a subject for the overlay's machines and is
 * checked to be observed as a state, and served unchanged where enforced.
 */
export function flagdEvaluatorSteps(
  document: object,
  overlay?: { machines: MachineOverlay; tally: ObservationTally },
): StepDefinitions<ConformanceWorld> {
  return defineFlagdEvaluationSteps(new StepDefinitions<ConformanceWorld>(), overlay).define(
    /^an evaluator$/,
    ({ world }) => world.start(document),
  );
}

async function checkObserved(
  world: ConformanceWorld,
  { machines, tally }: { machines: MachineOverlay; tally: ObservationTally },
): Promise<void> {
  const { key } = world.flag;
  const details = world.details;
  await world.session.flush();
  const records = world.session.sink.records.filter((r) => r.state_change && r.feature_flag?.key === key);
  if (details.reason === 'ERROR' || details.variant === undefined) {
    // Not a state observation: nothing recorded.
    expect(records, `records of ${key}`).toEqual([]);
    tally.errors++;
    return;
  }
  expect(records.at(-1)?.state_change?.to, `state recorded for ${key}`).toBe(details.variant);
  tally.observed++;
  if (machines.enforce.has(key)) {
    expect(details.flagMetadata).toMatchObject({ 'flagstate.requested': details.variant });
    expect(details.flagMetadata).not.toHaveProperty('flagstate.held');
    tally.enforced++;
  }
}

/** Every step of the language except the one that sets the provider up. */
export function defineFlagdEvaluationSteps<W extends ConformanceWorld>(
  steps: StepDefinitions<W>,
  overlay?: { machines: MachineOverlay; tally: ObservationTally },
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
      const context = overlay
        ? { ...world.context, [OVERLAY_SUBJECT]: 'conformance-subject' }
        : world.context;
      world.details = await evaluateDetails(world.client, type, key, fallback, context);
      if (overlay) await checkObserved(world, overlay);
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
