import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const readme = readFileSync(here('../../../README.md'), 'utf8');
const run = (file: string, env: Record<string, string> = {}) =>
  execFileSync(process.execPath, ['--import', 'tsx', here(`../src/${file}`)], {
    cwd: here('..'),
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

// The README shows these files verbatim; the tests run them.
describe('README snippets', () => {
  for (const file of ['use-hook.ts', 'use-provider.ts', 'keep-state.ts', 'consume-audit.ts']) {
    it(`${file} is in the README as it is here`, () => {
      expect(readme).toContain(readFileSync(here(`../src/${file}`), 'utf8').trim());
    });
  }

  it('use-hook.ts records an init, a transition and an illegal move', () => {
    expect(run('use-hook.ts').trim().split('\n')).toEqual([
      'state-init - -> legacy',
      'state-transition legacy -> canary',
      'state-transition-illegal canary -> legacy',
    ]);
  });

  it('use-provider.ts serves v2 or legacy to new subjects, as targeting asks', () => {
    const lines = run('use-provider.ts').trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line.trim()).toMatch(/^user-\d (legacy|v2)$/);
  });

  it('keep-state.ts: a second process still holds user-42 in canary for its bake time', {
    timeout: 60_000,
  }, () => {
    const env = { STATE_DIR: join(mkdtempSync(join(tmpdir(), 'flagstate-readme-')), 'state') };
    expect(run('keep-state.ts', env).trim()).toBe('wants canary, served canary');
    expect(run('keep-state.ts', env).trim()).toBe('wants v2, served canary min_dwell');
    expect(run('keep-state.ts', env).trim()).toBe('wants v2, served canary min_dwell');
  });

  it('consume-audit.ts sees every record in process, and the chain verifies', () => {
    const out = run('consume-audit.ts');
    expect(out).toContain('seen state-init alice');
    expect(out).toContain('seen state-init bob');
    expect(out).toContain('seen audit-checkpoint');
    expect(out).toContain('verify true');
    expect(out).toContain('replay {"plan":{"free":1,"pro":1}}');
  });
});
