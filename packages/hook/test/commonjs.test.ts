import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('CommonJS consumers', () => {
  it('can require() @flagstate/hook on Node 20 and add it to a client', () => {
    const script = `
      const { OpenFeature, InMemoryProvider } = require('@openfeature/server-sdk');
      const { StateTransitionHook } = require('@flagstate/hook');
      const { createAuditLog, memorySink } = require('@flagstate/audit');
      const sink = memorySink();
      const hook = new StateTransitionHook({ audit: createAuditLog({ sinks: [sink] }), machines: { machines: { m: {
        version: 1, initial: 'a', flags: ['f'], states: { a: {}, b: {} }, transitions: [{ from: 'a', to: 'b' }] } } } });
      (async () => {
        await OpenFeature.setProviderAndWait(new InMemoryProvider({ f: { variants: { a: 1, b: 2 }, defaultVariant: 'a', disabled: false } }));
        const client = OpenFeature.getClient();
        client.addHooks(hook);
        await client.getNumberValue('f', 0, { targetingKey: 'u' });
        await hook.audit.close();
        process.stdout.write(JSON.stringify({ path: require.resolve('@flagstate/hook'), actions: sink.records.map((r) => r.event.action) }));
      })();
    `;
    const out = JSON.parse(
      execFileSync(process.execPath, ['--input-type=commonjs', '-e', script], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        encoding: 'utf8',
      }),
    );
    expect(out.path).toMatch(/dist[\\/]index\.cjs$/);
    expect(out.actions).toEqual(['state-init', 'audit-checkpoint']);
  });

  it('can require() the OpenTelemetry logs sink, which finds the optional logs API from the CommonJS build', () => {
    const script = `
      const { logs } = require('@opentelemetry/api-logs');
      const { LoggerProvider, InMemoryLogRecordExporter, SimpleLogRecordProcessor } = require('@opentelemetry/sdk-logs');
      const { OpenFeature, InMemoryProvider } = require('@openfeature/server-sdk');
      const { StateTransitionHook, otelLogSink } = require('@flagstate/hook');
      const { createAuditLog } = require('@flagstate/audit');
      const exporter = new InMemoryLogRecordExporter();
      logs.setGlobalLoggerProvider(new LoggerProvider({ processors: [new SimpleLogRecordProcessor(exporter)] }));
      const hook = new StateTransitionHook({ audit: createAuditLog({ sinks: [otelLogSink()] }), events: 'log', machines: { machines: { m: {
        version: 1, initial: 'a', flags: ['f'], states: { a: {}, b: {} }, transitions: [{ from: 'a', to: 'b' }] } } } });
      (async () => {
        await OpenFeature.setProviderAndWait(new InMemoryProvider({ f: { variants: { a: 1, b: 2 }, defaultVariant: 'a', disabled: false } }));
        const client = OpenFeature.getClient();
        client.addHooks(hook);
        await client.getNumberValue('f', 0, { targetingKey: 'u' });
        await hook.audit.close();
        process.stdout.write(JSON.stringify(exporter.getFinishedLogRecords().map((l) => [l.eventName, l.attributes['flagstate.action']])));
      })();
    `;
    const out = JSON.parse(
      execFileSync(process.execPath, ['--input-type=commonjs', '-e', script], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        encoding: 'utf8',
      }),
    );
    // The hook's log-based event as the evaluation happens, then the sink's audit records.
    expect(out).toEqual([
      ['flagstate.state_transition', 'state-init'],
      [null, 'state-init'],
      [null, 'audit-checkpoint'],
    ]);
  });
});
