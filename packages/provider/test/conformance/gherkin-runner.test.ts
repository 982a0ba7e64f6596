import { describe, expect, it } from 'vitest';
import { parseFeature, runScenario, type Scenario, StepDefinitions, type World } from './gherkin-runner.js';

class Log implements World {
  readonly calls: string[] = [];
  disposed = 0;
  async dispose(): Promise<void> {
    this.disposed++;
  }
}

const FEATURE = `
@feature-tag
Feature: Sample

  Background:
    Given a start

  Scenario: Plain
    When "x" happens
    Then it is checked
      | key | value |
      | a   | 1     |

  Scenario Outline: Outline <n>
    When "<n>" happens
    Then it is checked

    @old
    Examples: first
      | n |
      | 1 |
      | 2 |

    Examples: second
      | n |
      | 3 |

  Scenario: Unknown
    When something nobody defined
    Then it is checked

  Scenario: Nothing checked
    When "y" happens
`;

function steps(): StepDefinitions<Log> {
  return new StepDefinitions<Log>()
    .define(/^a start$/, ({ world }) => {
      world.calls.push('start');
    })
    .define(/^"(.*)" happens$/, ({ world }, what) => {
      world.calls.push(`happens ${what}`);
    })
    .define(/^it is checked$/, ({ world, step }) => {
      world.calls.push(`checked ${JSON.stringify(step.table ?? null)}`);
    });
}

const feature = parseFeature(FEATURE, 'sample.feature');
const scenario = (name: string): Scenario => {
  const found = feature.scenarios.find((s) => s.name.startsWith(name));
  if (found === undefined) throw new Error(`no scenario ${name}`);
  return found;
};

describe('gherkin runner', () => {
  it('compiles one pickle per scenario and per example row, with tags inherited', () => {
    expect(feature.name).toBe('Sample');
    expect(feature.scenarios.map((s) => s.name)).toEqual([
      'Plain',
      'Outline 1 [first row 1: n=1]',
      'Outline 2 [first row 2: n=2]',
      'Outline 3 [second row 1: n=3]',
      'Unknown',
      'Nothing checked',
    ]);
    expect(scenario('Outline 1').tags).toEqual(['@feature-tag', '@old']);
    expect(scenario('Outline 3').tags).toEqual(['@feature-tag']);
  });

  it('runs background and scenario steps in order, passing data tables', async () => {
    const world = new Log();
    await runScenario(scenario('Plain'), steps(), world);
    expect(world.calls).toEqual(['start', 'happens x', 'checked [["key","value"],["a","1"]]']);
    expect(world.disposed).toBe(1);
  });

  it('fills outline placeholders into step text', async () => {
    const world = new Log();
    await runScenario(scenario('Outline 2'), steps(), world);
    expect(world.calls).toEqual(['start', 'happens 2', 'checked null']);
  });

  it('fails a scenario with a step no definition matches, and still disposes of the world', async () => {
    const world = new Log();
    await expect(runScenario(scenario('Unknown'), steps(), world)).rejects.toThrow(
      'undefined step: no definition matches "something nobody defined"',
    );
    expect(world.calls).toEqual(['start']);
    expect(world.disposed).toBe(1);
  });

  it('fails a scenario with no Then step', async () => {
    await expect(runScenario(scenario('Nothing checked'), steps(), new Log())).rejects.toThrow(
      'has no Then step',
    );
  });

  it('fails a step more than one definition matches', async () => {
    const ambiguous = steps().define(/^"x" happens$/, () => {});
    await expect(runScenario(scenario('Plain'), ambiguous, new Log())).rejects.toThrow(
      'ambiguous step ""x" happens"',
    );
  });

  it('fails a step whose definition fails', async () => {
    const failing = new StepDefinitions<Log>()
      .define(/^a start$/, () => {})
      .define(/^"(.*)" happens$/, () => {})
      .define(/^it is checked$/, () => {
        expect(1).toBe(2);
      });
    await expect(runScenario(scenario('Plain'), failing, new Log())).rejects.toThrow('expected 1 to be 2');
  });

  it('refuses definitions whose function does not take one argument per capture group', () => {
    expect(() => new StepDefinitions<Log>().define(/^(a) (b)$/, (_call, _a) => {})).toThrow('has 2 groups');
    expect(() => new StepDefinitions<Log>().define(/a/, () => {})).toThrow('must be anchored');
  });
});
