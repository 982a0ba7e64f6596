import { createAuditLog, memorySink, verifyAudit } from '@flagstate/audit';
import { LogsApiMissingError, otelLogSink } from '@flagstate/hook';
import { type Otel, setupOtel } from '@flagstate/test-kit';
import { OpenFeature } from '@openfeature/server-sdk';
import type { Span } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hookSetup, T0 } from './fixtures/hook-setup.js';
import { type OtelLogs, setupOtelLogs } from './fixtures/otel-logs.js';

let otel: Otel;
let otelLogs: OtelLogs;
beforeEach(() => {
  otel = setupOtel();
  otelLogs = setupOtelLogs();
});
afterEach(async () => {
  await otelLogs.shutdown();
  await otel.shutdown();
  await OpenFeature.clearProviders();
});

/** [seconds, nanoseconds] of an epoch time in milliseconds, as the SDK keeps timestamps. */
const hrTime = (ms: number) => [Math.floor(ms / 1000), (ms % 1000) * 1e6];

describe('otelLogSink', () => {
  it('emits every record as a log record: the ECS body, exact attributes, severity and the record’s trace context', async () => {
    let target = 'legacy';
    const s = await hookSetup(() => target, {
      sinks: [otelLogSink()],
      metadata: () => ({ flagSetId: 'checkout-flags', version: 7 }),
    });
    const span = await otel.tracer.startActiveSpan('request', async (span: Span) => {
      await s.evaluate(); // init
      s.advance(1_000);
      target = 'v2';
      await s.evaluate(); // illegal: legacy -> v2 skips canary
      span.end();
      return span;
    });
    s.advance(1_000);
    target = 'legacy';
    await s.evaluate(); // a rollback, outside any span
    await s.audit.close(); // and the closing checkpoint

    const records = s.sink.records;
    expect(records.map((r) => r.event.action)).toEqual([
      'state-init',
      'state-transition-illegal',
      'state-transition',
      'audit-checkpoint',
    ]);
    const exported = otelLogs.records();
    expect(exported).toHaveLength(records.length);
    // The body is the record itself, field for field.
    expect(exported.map((l) => l.body)).toEqual(records);
    expect(exported.map((l) => l.instrumentationScope.name)).toEqual(records.map(() => '@flagstate/hook'));
    expect(exported.map((l) => [l.severityNumber, l.severityText])).toEqual([
      [9, 'info'], // SeverityNumber.INFO
      [13, 'warn'], // SeverityNumber.WARN
      [9, 'info'],
      [9, 'info'],
    ]);
    expect(exported.map((l) => l.hrTime)).toEqual([
      hrTime(T0),
      hrTime(T0 + 1_000),
      hrTime(T0 + 2_000),
      hrTime(Date.parse(records[3]!['@timestamp'])),
    ]);
    // The record's trace context, not whatever span is active when the log writes.
    const { traceId, spanId } = span.spanContext();
    expect(exported.map((l) => l.spanContext && [l.spanContext.traceId, l.spanContext.spanId])).toEqual([
      [traceId, spanId],
      [traceId, spanId],
      undefined,
      undefined,
    ]);
    expect(exported[0]!.spanContext?.traceFlags).toBe(1);

    const stream = s.audit.streamId;
    const flag = {
      'feature_flag.key': 'checkout',
      'feature_flag.provider.name': 'in-memory',
      'feature_flag.context.id': 'user-42',
      'feature_flag.set.id': 'checkout-flags',
      'feature_flag.version': '7',
      'feature_flag.result.reason': 'targeting_match',
    };
    const change = {
      'flagstate.machine': 'checkout',
      'flagstate.machine_version': 3,
      'flagstate.subject': 'user-42',
    };
    expect(exported.map((l) => l.attributes)).toEqual([
      {
        ...flag,
        'feature_flag.result.variant': 'legacy',
        ...change,
        'flagstate.subject_version': 1,
        'flagstate.to': 'legacy',
        'flagstate.action': 'state-init',
        'flagstate.outcome': 'success',
        'flagstate.audit.stream': stream,
        'flagstate.audit.sequence': 1,
      },
      {
        ...flag,
        'feature_flag.result.variant': 'v2',
        ...change,
        'flagstate.subject_version': 2,
        'flagstate.from': 'legacy',
        'flagstate.to': 'v2',
        'flagstate.reason': 'not_allowed',
        'flagstate.action': 'state-transition-illegal',
        'flagstate.outcome': 'failure',
        'flagstate.audit.stream': stream,
        'flagstate.audit.sequence': 2,
      },
      {
        ...flag,
        'feature_flag.result.variant': 'legacy',
        ...change,
        'flagstate.subject_version': 3,
        'flagstate.from': 'v2',
        'flagstate.to': 'legacy',
        'flagstate.transition': 'rollback',
        'flagstate.action': 'state-transition',
        'flagstate.outcome': 'success',
        'flagstate.audit.stream': stream,
        'flagstate.audit.sequence': 3,
      },
      {
        'flagstate.action': 'audit-checkpoint',
        'flagstate.outcome': 'success',
        'flagstate.audit.stream': stream,
        'flagstate.audit.sequence': 4,
      },
    ]);
    // What reached the logs backend still verifies as a chain.
    expect(verifyAudit(exported.map((l, i) => ({ record: l.body, line: i + 1 }))).ok).toBe(true);
  });

  it('is a no-op until a logs SDK is registered, and uses one registered later from its next record', async () => {
    await otelLogs.shutdown(); // no SDK now
    const sink = memorySink();
    const audit = createAuditLog({ sinks: [sink, otelLogSink({ name: 'to-otel' })], checkpointEvery: 0 });
    const s = await hookSetup(() => 'legacy');
    // Records of the hook's own log, appended to this one: the sink does not care who wrote them.
    await s.evaluate('early');
    audit.append(structuredClone({ ...(await s.records())[0]!, audit: undefined }) as never);
    await audit.flush();
    expect(sink.records).toHaveLength(1);
    expect(audit.stats().sinkErrors).toBe(0);

    otelLogs = setupOtelLogs();
    audit.append(structuredClone({ ...(await s.records())[0]!, audit: undefined }) as never);
    await audit.close();
    expect(otelLogs.records().map((l) => (l.body as { event: { sequence: number } }).event.sequence)).toEqual(
      [2, 3],
    );
  });

  it('needs @opentelemetry/api-logs, and says how to install it when it is missing', async () => {
    vi.resetModules();
    vi.doMock('node:module', async (importOriginal) => {
      const real = await importOriginal<typeof import('node:module')>();
      return {
        ...real,
        createRequire: (from: string) => {
          const require = real.createRequire(from);
          return Object.assign((id: string) => {
            if (id === '@opentelemetry/api-logs') {
              throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
            }
            return require(id);
          }, require);
        },
      };
    });
    try {
      const fresh = await import('../src/otel-log-sink.js');
      const { LogsApiMissingError: Missing } = await import('../src/logs-api-missing-error.js');
      expect(() => fresh.otelLogSink()).toThrow(Missing);
      expect(() => fresh.otelLogSink()).toThrow(
        'otelLogSink() needs @opentelemetry/api-logs, an optional peer dependency of @flagstate/hook: npm install @opentelemetry/api-logs',
      );
      const { StateTransitionHook } = await import('../src/state-transition-hook.js');
      const machines = { machines: { m: { version: 1, initial: 'a', flags: ['f'], states: { a: {} } } } };
      // The hook itself loads and runs without it; only the log-based events need it.
      expect(() => new StateTransitionHook({ machines, audit: createAuditLog({ sinks: [] }) })).not.toThrow();
      expect(
        () => new StateTransitionHook({ machines, audit: createAuditLog({ sinks: [] }), events: 'both' }),
      ).toThrow("StateTransitionHook's events: 'log' and 'both' needs @opentelemetry/api-logs");
    } finally {
      vi.doUnmock('node:module');
      vi.resetModules();
    }
    expect(new LogsApiMissingError('x').code).toBe('LOGS_API_MISSING');
    expect(logs.getLoggerProvider()).toBeDefined();
  });
});
