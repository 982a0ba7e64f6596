import { afterAll, describe, expect, it } from 'vitest';
import { checkoutDocument, checkoutYaml } from './fixtures/documents.js';
import { escapeRegExp } from './fixtures/escape-reg-exp.js';
import { runCli, tempDir } from './fixtures/run-cli.js';
import { writeDocument } from './fixtures/write-document.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const write = (name: string, content: string | object) => writeDocument(tmp.path(name), content);

describe('flagstate validate', { timeout: 30_000 }, () => {
  it('accepts the DESIGN.md document as YAML and prints a one-line summary', () => {
    const file = write('flags.yaml', checkoutYaml);
    const r = runCli(['validate', file]);
    expect(r).toMatchObject({ status: 0 });
    expect(r.stdout).toBe(`${file}: ok — 1 machine (checkout v3: 4 states, 5 transitions), 2 flags\n`);
  });

  it('accepts the same document as JSON, and .yml as YAML', () => {
    const json = write('flags.json', checkoutDocument);
    const yml = write('flags.yml', checkoutYaml);
    for (const file of [json, yml]) {
      const r = runCli(['validate', file]);
      expect(r).toMatchObject({ status: 0 });
      expect(r.stdout).toContain(`${file}: ok — 1 machine (checkout v3: 4 states, 5 transitions), 2 flags`);
    }
  });

  it('summarises several machines', () => {
    const machine = (initial: string) => ({
      version: 1,
      initial,
      flags: [`f-${initial}`],
      states: { [initial]: {}, done: { final: true } },
      transitions: [{ from: initial, to: 'done' }],
    });
    const flag = (initial: string) => ({
      state: 'ENABLED',
      variants: { [initial]: 'old', done: 'new' },
      defaultVariant: initial,
    });
    const file = write('two.json', {
      flags: { 'f-a': flag('a'), 'f-b': flag('b') },
      machines: { a: machine('a'), b: machine('b') },
    });
    const r = runCli(['validate', file]);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(r.stdout).toBe(
      `${file}: ok — 2 machines (a v1: 2 states, 1 transition; b v1: 2 states, 1 transition), 2 flags\n`,
    );
  });

  it('prints every problem of every machine as file: path: message and exits 1', () => {
    const file = write('bad.json', {
      flags: {
        checkout: { state: 'ENABLED', variants: { legacy: 1, canary: 2 }, defaultVariant: 'legacy' },
      },
      machines: {
        checkout: {
          version: 3,
          flags: ['checkout'],
          initial: 'legacy',
          states: { legacy: {}, canary: { minDwell: 'soon' } },
          transitions: [{ from: 'legacy', to: 'canary' }],
        },
        search: { version: 'two', initial: 'a', states: { a: {} }, transitions: [] },
      },
    });
    const r = runCli(['validate', file]);
    expect(r).toMatchObject({ status: 1 });
    expect(r.stdout.trim().split('\n')).toEqual([
      `${file}: machines.checkout.states.canary.minDwell: expected a duration: milliseconds or a string such as "500ms", "30s", "15m", "1h" or "2d", got the string "soon"`,
      `${file}: machines.search.version: expected a number, got the string "two"`,
      `${file}: machines.search.flags: is required (expected an array)`,
    ]);
  });

  it('lists the problems of a document that parses but does not compile', () => {
    const bad = structuredClone(checkoutDocument) as { machines: { checkout: Record<string, unknown> } };
    const m = bad.machines.checkout;
    m.initial = 'draft';
    m.transitions = [
      { from: 'legacy', to: 'v3', name: 'start-canary' },
      { from: 'retired', to: 'legacy' },
    ];
    const file = write('bad-graph.json', bad);
    const r = runCli(['validate', file]);
    expect(r).toMatchObject({ status: 1 });
    expect(r.stdout).toContain(
      `${file}: machines.checkout.initial: unknown state "draft" (states: legacy, canary, v2, retired)`,
    );
    expect(r.stdout).toContain(
      `${file}: machines.checkout.transitions[0].to: unknown state "v3" (states: legacy, canary, v2, retired)`,
    );
    expect(r.stdout).toContain(
      `${file}: machines.checkout.transitions[1].from: "retired" is a final state and cannot have outgoing transitions`,
    );
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('reports invalid YAML with the file, line and column, and exits 1', () => {
    const file = write('broken.yaml', 'machines:\n  checkout:\n    version: 3\n   initial: legacy\n');
    const r = runCli(['validate', file]);
    expect(r).toMatchObject({ status: 1 });
    expect(r.stdout).toMatch(new RegExp(`^${escapeRegExp(file)}:4:\\d+: `));
  });

  it('reports invalid JSON with the file, line and column, and exits 1', () => {
    const file = write('broken.json', '{\n  "machines": {\n    "checkout": {,\n  }\n}\n');
    const r = runCli(['validate', file]);
    expect(r).toMatchObject({ status: 1 });
    expect(r.stdout).toMatch(new RegExp(`^${escapeRegExp(file)}:3:18: `));
  });

  it('exits 2 when the file cannot be read', () => {
    const r = runCli(['validate', tmp.path('missing.yaml')]);
    expect(r).toMatchObject({ status: 2 });
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`flagstate: cannot read ${tmp.path('missing.yaml')}: no such file\n`);
  });
});
