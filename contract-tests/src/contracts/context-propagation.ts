import { type Otel, setupOtel } from '@flagstate/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withRun } from '../run.js';
import type { ContractSetup } from '../setup.js';

/**
 * Contract 3, context propagation: inside a span, a record's `trace.id`/`span.id` are the
 * span's and the span carries the `flagstate.state_transition` event; the record's
 * `feature_flag.*` fields equal the evaluation details; outside a span the trace fields are
 * absent.
 */
export function contextPropagationContract(setup: ContractSetup): void {
  describe(`contract 3, context propagation: ${setup.name}`, () => {
    let otel: Otel;
    beforeEach(() => {
      otel = setupOtel();
    });
    afterEach(async () => {
      await otel.shutdown();
    });

    it('correlates records with the active span, and leaves them uncorrelated outside one', async () => {
      await withRun(setup, {}, async (run) => {
        await run.retarget(new Map([['inside', 'canary']]));
        const details = await otel.tracer.startActiveSpan('request', async (span) => {
          const d = await run.client.getStringDetails('checkout', 'fallback', { targetingKey: 'inside' });
          span.end();
          return d;
        });
        await run.client.getStringDetails('checkout', 'fallback', { targetingKey: 'outside' });
        const [inside, outside] = await run.stateRecords();
        const [span] = otel.spans.getFinishedSpans();
        expect(inside!.trace).toEqual({ id: span!.spanContext().traceId });
        expect(inside!.span).toEqual({ id: span!.spanContext().spanId });
        expect(span!.events.map((e) => e.name)).toEqual(['flagstate.state_transition']);
        expect(span!.events[0]!.attributes).toMatchObject({
          'feature_flag.key': 'checkout',
          'flagstate.machine': 'checkout',
          'flagstate.to': 'canary',
          'flagstate.action': 'state-init',
        });
        expect(inside!.feature_flag).toEqual({
          key: details.flagKey,
          provider: { name: run.providerName },
          // OpenTelemetry's feature_flag.result.reason values are OpenFeature's reasons in lower case.
          result: { variant: details.variant, reason: details.reason?.toLowerCase() },
          context: { id: 'inside' },
        });
        expect(outside).not.toHaveProperty('trace');
        expect(outside).not.toHaveProperty('span');
      });
    });
  });
}
