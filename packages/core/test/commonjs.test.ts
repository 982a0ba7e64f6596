import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// Runs a real CommonJS script in a child Node process against the built package (`pnpm build`).
describe('CommonJS consumers', () => {
  it('can require() @flagstate/core and use it', () => {
    const script = `
      const core = require('@flagstate/core');
      const set = core.parseMachines({ machines: { m: { version: 1, initial: 'a', flags: ['f'],
        states: { a: {}, b: {} }, transitions: [{ from: 'a', to: 'b' }] } } });
      const engine = new core.TransitionEngine({ machines: set, store: new core.LruStateStore() });
      const first = engine.observe({ machine: 'm', subject: 'u', state: 'a', at: 1 });
      const second = engine.observe({ machine: 'm', subject: 'u', state: 'b', at: 2 });
      const resolved = require.resolve('@flagstate/core');
      process.stdout.write(JSON.stringify({ resolved, kinds: [first.kind, second.kind],
        canonical: core.stateFromValue({ b: 1, a: [true] }) }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=commonjs', '-e', script], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    const result = JSON.parse(out);
    expect(result.resolved).toMatch(/dist[\\/]index\.cjs$/);
    expect(result.kinds).toEqual(['init', 'transition']);
    expect(result.canonical).toBe('{"a":[true],"b":1}');
  });
});
