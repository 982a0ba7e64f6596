import { createAuditLog, memorySink } from '@flagstate/audit';
import { StateTransitionHook, TRANSITION_EVENT } from '@flagstate/hook';
import { type Otel, setupOtel } from '@flagstate/test-kit';
import { OpenFeature } from '@openfeature/server-sdk';
import type { Span } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { machineDocument } from './fixtures/checkout.js';
import { hookSetup } from './fixtures/hook-setup.js';
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

const INIT = {
  'feature_flag.key': 'checkout',
  'flagstate.machine': 'checkout',
  'flagstate.to': 'legacy',
  'flagstate.action': 'state-init',
};
const ILLEGAL = {
  'feature_flag.key': 'checkout',
  'flagstate.machine': 'checkout',
  'flagstate.from': 'legacy',
  'flagstate.to': 'v2',
  'flagstate.action': 'state-transition-illegal',
};

/** An init then an illegal move inside one span, and an init outside any span. */
async function run(events: 'span' | 'log' | 'both' | undefined) {
  let target = 'legacy';
  const s = await hookSetup(() => target, events === undefined ? {} : { events });
  const span = await otel.tracer.startActiveSpan('request', async (span: Span) => {
    await s.evaluate();
    target = 'v2';
    await s.evaluate();
    span.end();
    return span;
  });
  target = 'legacy';
  await s.evaluate('outside');
  const [finished] = otel.spans.getFinishedSpans();
  return {
    spanEvents: finished!.events.map((e) => [e.name, e.attributes]),
    logEvents: otelLogs
      .records()
      .map((l) => [
        l.eventName,
        l.severityNumber,
        l.severityText,
        l.attributes,
        l.spanContext?.spanId,
        l.instrumentationScope.name,
        l.body,
      ]),
    spanId: span.spanContext().spanId,
  };
}

describe('the flagstate.state_transition event', () => {
  it('is named in our own namespace', () => {
    expect(TRANSITION_EVENT).toBe('flagstate.state_transition');
  });

  it('by default (events: "span") is a span event on the active span, and no log record', async () => {
    const { spanEvents, logEvents } = await run(undefined);
    expect(spanEvents).toEqual([
      ['flagstate.state_transition', INIT],
      ['flagstate.state_transition', ILLEGAL],
    ]);
    expect(logEvents).toEqual([]);
  });

  it('with events: "log", is a log-based event (eventName, severity, the active span), in a span or not, and no span event', async () => {
    const { spanEvents, logEvents, spanId } = await run('log');
    expect(spanEvents).toEqual([]);
    expect(logEvents).toEqual([
      ['flagstate.state_transition', 9, 'info', INIT, spanId, '@flagstate/hook', undefined],
      ['flagstate.state_transition', 13, 'warn', ILLEGAL, spanId, '@flagstate/hook', undefined],
      ['flagstate.state_transition', 9, 'info', INIT, undefined, '@flagstate/hook', undefined],
    ]);
    // The event name is the log record's EventName field, not the deprecated event.name attribute.
    expect(otelLogs.records().every((l) => !('event.name' in l.attributes))).toBe(true);
  });

  it('with events: "both", is both', async () => {
    const { spanEvents, logEvents } = await run('both');
    expect(spanEvents.map(([name]) => name)).toEqual([TRANSITION_EVENT, TRANSITION_EVENT]);
    expect(logEvents.map(([name, , , attributes]) => [name, attributes])).toEqual([
      [TRANSITION_EVENT, INIT],
      [TRANSITION_EVENT, ILLEGAL],
      [TRANSITION_EVENT, INIT],
    ]);
  });

  it('refuses an unknown events value at construction', () => {
    expect(
      () =>
        new StateTransitionHook({
          machines: machineDocument,
          audit: createAuditLog({ sinks: [memorySink()] }),
          events: 'spans' as never,
        }),
    ).toThrow('events must be one of "span", "log", "both", got spans');
  });

  it('never lets a failing logs SDK reach the evaluation or cost the chain a record', async () => {
    await otelLogs.shutdown();
    const { logs } = await import('@opentelemetry/api-logs');
    logs.setGlobalLoggerProvider({
      getLogger: () => ({
        emit: () => {
          throw new Error('exporter down');
        },
      }),
    });
    let target = 'legacy';
    const s = await hookSetup(() => target, { events: 'log' });
    await s.evaluate();
    target = 'v2';
    const details = await s.evaluate();
    expect(details.value).toBe('v2-flow');
    expect((await s.records()).map((r) => r.event.action)).toEqual([
      'state-init',
      'state-transition-illegal',
    ]);
    expect(s.hook.stats().failures).toBe(2);
    logs.disable();
  });
});
