import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('StateTransitionHook lifetime', () => {
  it('lets hooks no one uses be collected with their stores, and adds one listener per shared log', () => {
    const script = fileURLToPath(new URL('./fixtures/collectable-hooks.mjs', import.meta.url));
    const out = execFileSync(process.execPath, ['--expose-gc', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ collected: 20, sharedErrorListeners: 1 });
  }, 30_000);
});
