import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('CommonJS consumers', () => {
  it('can require() @flagstate/provider on Node 20 and evaluate through it', () => {
    const script = `
      const { OpenFeature } = require('@openfeature/server-sdk');
      const { StateMachineProvider } = require('@flagstate/provider');
      const { createAuditLog, memorySink } = require('@flagstate/audit');
      const doc = { flags: { f: { state: 'ENABLED', variants: { a: 'A', b: 'B' }, defaultVariant: 'a' } },
        machines: { m: { version: 1, initial: 'a', flags: ['f'], enforcement: 'enforce', states: { a: {}, b: {} },
          transitions: [{ from: 'a', to: 'b' }] } } };
      (async () => {
        await OpenFeature.setProviderAndWait(new StateMachineProvider({ source: doc, audit: createAuditLog({ sinks: [memorySink()] }) }));
        const d = await OpenFeature.getClient().getStringDetails('f', 'x', { targetingKey: 'u' });
        await OpenFeature.close();
        process.stdout.write(JSON.stringify({ path: require.resolve('@flagstate/provider'), value: d.value, machine: d.flagMetadata['flagstate.machine'] }));
      })();
    `;
    const out = JSON.parse(
      execFileSync(process.execPath, ['--input-type=commonjs', '-e', script], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        encoding: 'utf8',
      }),
    );
    expect(out).toMatchObject({ value: 'A', machine: 'm' });
    expect(out.path).toMatch(/dist[\\/]index\.cjs$/);
  });
});
