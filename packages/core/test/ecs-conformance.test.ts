import { ecsProblems } from '@flagstate/test-kit';
import { describe, expect, it } from 'vitest';
import { everyRecordKind } from './fixtures/every-record-kind.js';

describe('ECS conformance', () => {
  it('every record kind has ECS types, arrays and allowed values, and nothing outside ECS but our objects', async () => {
    const { log, sink } = await everyRecordKind();
    const gaps: unknown[] = [];
    const stream = log.stream({ bufferSize: 1 });
    log.append(structuredClone({ ...sink.records[0]!, audit: undefined }) as never);
    log.append(structuredClone({ ...sink.records[0]!, audit: undefined }) as never);
    log.append(structuredClone({ ...sink.records[0]!, audit: undefined }) as never);
    await log.close();
    for await (const r of stream) gaps.push(r);
    const records = [...sink.records, ...gaps];
    const kinds = new Set(records.map((r) => (r as { event: { action: string } }).event.action));
    expect(kinds.size).toBe(10);
    for (const record of records) expect(ecsProblems(record)).toEqual([]);
  });

  it('catches the mistakes it is there for', () => {
    const bad = {
      '@timestamp': 'yesterday',
      event: { kind: 'change', type: 'change', category: ['configuration'], duration: 1.5, outcome: 'ok' },
      data_stream: { type: 'logs', dataset: 'flagstate-audit', namespace: 'Default' },
      labels: { 'a.b': 1 },
      trace: { id: 12 },
      flagstate: {},
      feature_flag: { key: 'checkout', set: { id: 7 }, flagSetVersion: '3', context: 'user-42' },
    };
    for (const [dataset, namespace] of [
      ['_hidden', '..'],
      ['+plus', '.'],
    ]) {
      expect(ecsProblems({ ...bad, data_stream: { type: 'logs', dataset, namespace } })).toEqual(
        expect.arrayContaining([
          'data_stream.dataset: breaks the naming rules',
          'data_stream.namespace: breaks the naming rules',
        ]),
      );
    }
    const problems = ecsProblems(bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^@timestamp: expected an ISO 8601 date/),
        expect.stringMatching(/^event.kind: "change" is not an allowed value/),
        expect.stringMatching(/^event.type: must be an array/),
        expect.stringMatching(/^event.duration: expected a long/),
        expect.stringMatching(/^event.outcome: "ok" is not an allowed value/),
        expect.stringMatching(/^data_stream.dataset: breaks the naming rules/),
        expect.stringMatching(/^data_stream.namespace: breaks the naming rules/),
        expect.stringMatching(/^labels.a.b: label values are keywords/),
        expect.stringMatching(/^trace.id: expected a keyword string/),
        expect.stringMatching(/^flagstate: not an ECS field/),
        expect.stringMatching(/^feature_flag.set.id: expected a keyword string/),
        expect.stringMatching(/^feature_flag.flagSetVersion: not an OpenTelemetry feature_flag attribute/),
        expect.stringMatching(/^feature_flag.context: OpenTelemetry has attributes below it/),
      ]),
    );
    expect(problems.filter((p) => p.startsWith('feature_flag.key'))).toEqual([]);
  });
});
