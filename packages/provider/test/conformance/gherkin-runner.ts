import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { type GherkinDocument, IdGenerator, PickleStepType, type TableRow } from '@cucumber/messages';
import { describe, it } from 'vitest';

/** One step of a scenario, as the pickle gives it: outline placeholders already filled in. */
export interface ScenarioStep {
  readonly text: string;
  readonly type: PickleStepType | undefined;
  /** The step's data table, rows of cells, header row included. */
  readonly table: readonly (readonly string[])[] | undefined;
}

/** One pickle: a scenario, or one example row of a scenario outline. */
export interface Scenario {
  readonly name: string;
  readonly tags: readonly string[];
  readonly steps: readonly ScenarioStep[];
}

export interface Feature {
  /** The file, relative to the directory it was loaded from. */
  readonly uri: string;
  readonly name: string;
  readonly scenarios: readonly Scenario[];
}

/** What a step definition gets besides its pattern's capture groups. */
export interface StepCall<W> {
  readonly world: W;
  readonly step: ScenarioStep;
}

type StepFn<W> = (call: StepCall<W>, ...args: string[]) => void | Promise<void>;

interface StepDefinition<W> {
  readonly pattern: RegExp;
  readonly run: StepFn<W>;
}

/** Step definitions matched by regular expression against a step's whole text. */
export class StepDefinitions<W> {
  readonly #definitions: StepDefinition<W>[] = [];

  /** Adds a definition; `run` takes the call and one string per capture group of `pattern` (or nothing). */
  define(pattern: RegExp, run: StepFn<W>): this {
    if (!pattern.source.startsWith('^') || !pattern.source.endsWith('$')) {
      throw new Error(`step pattern ${pattern} must be anchored with ^ and $`);
    }
    const groups = new RegExp(`${pattern.source}|`).exec('')!.length - 1;
    if (run.length > 0 && run.length - 1 !== groups) {
      throw new Error(`step pattern ${pattern} has ${groups} groups, its function takes ${run.length - 1}`);
    }
    this.#definitions.push({ pattern, run });
    return this;
  }

  /** Runs one step; a step no definition matches, or more than one does, throws. */
  async run(world: W, step: ScenarioStep): Promise<void> {
    const matches = this.#definitions.flatMap((d) => {
      const m = d.pattern.exec(step.text);
      return m ? [{ definition: d, args: m.slice(1).map((g) => g ?? '') }] : [];
    });
    const [first, second] = matches;
    if (first === undefined) throw new Error(`undefined step: no definition matches "${step.text}"`);
    if (second !== undefined) {
      const patterns = matches.map((m) => String(m.definition.pattern)).join(', ');
      throw new Error(`ambiguous step "${step.text}": matched by ${patterns}`);
    }
    await first.definition.run({ world, step }, ...first.args);
  }
}

/** A world the runner disposes of after each scenario, pass or fail. */
export interface World {
  dispose(): Promise<void>;
}

/** Runs a scenario's steps in order; one that checks no outcome ("Then") is itself a failure. */
export async function runScenario<W extends World>(
  scenario: Scenario,
  steps: StepDefinitions<W>,
  world: W,
): Promise<void> {
  try {
    if (!scenario.steps.some((s) => s.type === PickleStepType.OUTCOME)) {
      throw new Error(`scenario "${scenario.name}" has no Then step: it would check nothing`);
    }
    for (const step of scenario.steps) await steps.run(world, step);
  } finally {
    await world.dispose();
  }
}

/** Parses one feature file's text and compiles its pickles. */
export function parseFeature(source: string, uri: string): Feature {
  const newId = IdGenerator.incrementing();
  const parser = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher());
  const document: GherkinDocument = parser.parse(source);
  const feature = document.feature;
  if (feature === undefined) throw new Error(`${uri}: no Feature`);
  const rows = exampleRowLabels(document);
  const scenarios = compile(document, uri, newId).map((pickle) => {
    const row = pickle.astNodeIds.map((id) => rows.get(id)).find((label) => label !== undefined);
    return {
      name: row === undefined ? pickle.name : `${pickle.name} [${row}]`,
      tags: pickle.tags.map((t) => t.name),
      steps: pickle.steps.map((s) => ({
        text: s.text,
        type: s.type,
        table: s.argument?.dataTable?.rows.map((r) => r.cells.map((c) => c.value)),
      })),
    };
  });
  return { uri, name: feature.name, scenarios };
}

/** Every `*.feature` file of a directory, sorted by name. */
export function loadFeatures(dir: string): Feature[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.feature'))
    .sort();
  if (files.length === 0) throw new Error(`no .feature files in ${dir}`);
  return files.map((f) => parseFeature(readFileSync(join(dir, f), 'utf8'), relative(dir, join(dir, f))));
}

export interface DescribeFeaturesOptions<W extends World> {
  readonly steps: StepDefinitions<W>;
  readonly world: () => W;
  /** Why a scenario is skipped, or `undefined` to run it. */
  readonly skip?: (scenario: Scenario) => string | undefined;
}

/** One `describe` per feature, one `it` per pickle (`it.skip`, with its reason, for skipped ones). */
export function describeFeatures<W extends World>(
  features: readonly Feature[],
  options: DescribeFeaturesOptions<W>,
): void {
  for (const feature of features) {
    describe(`${feature.name} (${feature.uri})`, () => {
      for (const scenario of feature.scenarios) {
        const reason = options.skip?.(scenario);
        if (reason !== undefined) it.skip(`${scenario.name} (skipped: ${reason})`, () => {});
        else it(scenario.name, () => runScenario(scenario, options.steps, options.world()));
      }
    });
  }
}

/** "header=value, ..." of each example row, by the row's id. */
function exampleRowLabels(document: GherkinDocument): Map<string, string> {
  const labels = new Map<string, string>();
  const children = document.feature?.children ?? [];
  const scenarios = children.flatMap((c) => [
    ...(c.scenario ? [c.scenario] : []),
    ...(c.rule?.children.flatMap((r) => (r.scenario ? [r.scenario] : [])) ?? []),
  ]);
  for (const scenario of scenarios) {
    for (const examples of scenario.examples) {
      const header = examples.tableHeader?.cells.map((c) => c.value) ?? [];
      examples.tableBody.forEach((row: TableRow, i) => {
        const cells = row.cells.map((c, k) => `${header[k] ?? k}=${c.value}`).join(', ');
        const prefix = examples.name === '' ? `row ${i + 1}` : `${examples.name} row ${i + 1}`;
        labels.set(row.id, `${prefix}: ${cells}`);
      });
    }
  }
  return labels;
}
