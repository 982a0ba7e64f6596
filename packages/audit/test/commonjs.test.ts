import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// Runs a real CommonJS script in a child Node process against the built package (`pnpm build`).
describe('CommonJS consumers', () => {
  it('can require() @flagstate/audit, write a stream and verify it', () => {
    const script = `
      const audit = require('@flagstate/audit');
      const sink = audit.memorySink();
      const log = audit.createAuditLog({ sinks: [sink] });
      log.append({ '@timestamp': new Date(0).toISOString(), message: 'm: u a',
        ecs: { version: audit.ECS_VERSION }, log: { level: 'info' },
        event: { kind: 'event', category: ['configuration'], type: ['creation'], action: 'state-init',
          outcome: 'success', id: '0190a000-0000-7000-8000-000000000001', dataset: audit.AUDIT_DATASET,
          provider: audit.AUDIT_PROVIDER },
        state_change: { machine: 'm', machine_version: 1, subject: 'u', to: 'a', subject_version: 1 } });
      log.close().then(() => {
        const report = audit.verifyAudit(sink.records);
        process.stdout.write(JSON.stringify({ resolved: require.resolve('@flagstate/audit'),
          ok: report.ok, count: report.count, states: audit.replayAudit(sink.records).counts }));
      });
    `;
    const out = execFileSync(process.execPath, ['--input-type=commonjs', '-e', script], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    const result = JSON.parse(out);
    expect(result.resolved).toMatch(/dist[\\/]index\.cjs$/);
    expect(result).toMatchObject({ ok: true, count: 2, states: { m: { a: 1 } } });
  });
});
