import { writeFileSync } from 'node:fs';
import { parseMachines } from '@flagstate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { renderDot } from '../src/graph/render-dot.js';
import { renderMermaid } from '../src/graph/render-mermaid.js';
import { checkoutDocument, checkoutYaml } from './fixtures/documents.js';
import { runCli, tempDir } from './fixtures/run-cli.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const flags = tmp.path('flags.yaml');
writeFileSync(flags, checkoutYaml);

describe('flagstate graph', { timeout: 30_000 }, () => {
  it('draws the DESIGN.md machine as a Mermaid state diagram by default', () => {
    const r = runCli(['graph', flags]);
    expect(r).toMatchObject({ status: 0 });
    // Mermaid ends a label at ":", so the guard's colon is the look-alike U+2236.
    expect(r.stdout).toBe(
      [
        '---',
        'title: checkout v3',
        '---',
        'stateDiagram-v2',
        '  [*] --> legacy',
        '  legacy --> canary: start-canary',
        '  canary --> v2: promote [flag\u2236 checkout-v2-allowed] after 1h',
        '  canary --> legacy: rollback after 1h',
        '  v2 --> legacy: rollback',
        '  v2 --> retired',
        '  retired --> [*]',
        '  note right of v2: maxDwell 90d',
        '',
      ].join('\n'),
    );
  });

  it('draws it as a Graphviz digraph with --format dot', () => {
    const r = runCli(['graph', flags, '--format', 'dot']);
    expect(r).toMatchObject({ status: 0 });
    expect(r.stdout).toMatch(/^digraph "checkout v3" \{\n/);
    expect(r.stdout).toContain('  "[*] start" -> "legacy";\n');
    expect(r.stdout).toContain('  "legacy" -> "canary" [label="start-canary"];\n');
    expect(r.stdout).toContain(
      '  "canary" -> "v2" [label="promote [flag: checkout-v2-allowed] after 1h"];\n',
    );
    expect(r.stdout).toContain('  "canary" -> "legacy" [label="rollback after 1h"];\n');
    expect(r.stdout).toContain('  "v2" -> "legacy" [label="rollback"];\n');
    expect(r.stdout).toContain('  "v2" -> "retired";\n');
    expect(r.stdout).toContain('  "retired" -> "[*] end";\n');
    expect(r.stdout).toContain('  "v2" [label="v2\\nmaxDwell 90d"];\n');
    expect(r.stdout).toContain('  "retired" [peripheries=2];\n');
    expect(r.stdout.trimEnd().endsWith('}')).toBe(true);
  });

  it('draws only the machine named by --machine', () => {
    const doc = structuredClone(checkoutDocument) as {
      flags: Record<string, unknown>;
      machines: Record<string, unknown>;
    };
    doc.flags['search-v2'] = {
      state: 'ENABLED',
      variants: { off: 'a', 'on-beta': 'b' },
      defaultVariant: 'off',
    };
    doc.machines.search = {
      version: 1,
      initial: 'off',
      flags: ['search-v2'],
      states: { off: {}, 'on-beta': {} },
      transitions: [{ from: 'off', to: 'on-beta', guard: { '==': [{ var: 'tier' }, 'gold'] } }],
    };
    const file = tmp.path('two.json');
    writeFileSync(file, JSON.stringify(doc));
    const all = runCli(['graph', file]);
    expect(all.stdout).toContain('stateDiagram-v2');
    expect(all).toMatchObject({ status: 0 });
    expect(all.stdout.match(/^stateDiagram-v2$/gm)).toHaveLength(2);

    const one = runCli(['graph', file, '--machine', 'search']);
    expect(one).toMatchObject({ status: 0 });
    expect(one.stdout).toContain('title: search v1');
    expect(one.stdout).not.toContain('checkout');
    // A name Mermaid cannot take as an id is declared under an alias; a JSON Logic guard reads "[guard]".
    expect(one.stdout).toContain('  state "on-beta" as s1\n');
    expect(one.stdout).toContain('  off --> s1: [guard]\n');
  });

  it('exits 2 for an unknown machine, listing the ids', () => {
    const r = runCli(['graph', flags, '--machine', 'payments']);
    expect(r).toMatchObject({ status: 2 });
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`flagstate: ${flags}: no machine "payments" (machines: checkout)\n`);
  });

  it('exits 1 with the problems when the document is invalid', () => {
    const file = tmp.path('bad.json');
    writeFileSync(
      file,
      JSON.stringify({ machines: { m: { version: 1, flags: ['f'], initial: 'x', states: { a: {} } } } }),
    );
    const r = runCli(['graph', file]);
    expect(r).toMatchObject({ status: 1 });
    expect(r.stdout).toContain(`${file}: machines.m.initial: unknown state "x" (states: a)`);
  });
});

describe('renderMermaid and renderDot', () => {
  const checkout = parseMachines(checkoutDocument).get('checkout')!;

  it('append a count per from->to edge when given counts (0 for an edge never taken)', () => {
    const counts = new Map([
      ['legacy->canary', 12],
      ['canary->v2', 4],
    ]);
    const mermaid = renderMermaid(checkout, { counts });
    expect(mermaid).toContain('  legacy --> canary: start-canary (12)\n');
    expect(mermaid).toContain('  canary --> v2: promote [flag\u2236 checkout-v2-allowed] after 1h (4)\n');
    expect(mermaid).toContain('  v2 --> retired: (0)\n');
    const dot = renderDot(checkout, { counts: { 'legacy->canary': 12 } });
    expect(dot).toContain('"legacy" -> "canary" [label="start-canary (12)"];');
    expect(dot).toContain('"v2" -> "legacy" [label="rollback (0)"];');
  });

  it('leave labels without counts when none are given', () => {
    expect(renderMermaid(checkout)).not.toMatch(/\(\d+\)/);
  });
});
