import { type AuditRecord, createAuditLog, memorySink } from '@flagstate/audit';
import { StateMachineProvider } from '@flagstate/provider';
import { type EvaluationContext, OpenFeature } from '@openfeature/server-sdk';
import { describe, expect, it } from 'vitest';
import { HOSTILE_CONTEXTS } from './hostile/contexts.js';

// `victim` is served v2 by targeting, everyone else legacy: a context whose targeting sees the
// victim while enforcement sees another subject (or none) would show as v2.
const document = (enforcement: 'audit' | 'enforce') => ({
  flags: {
    checkout: {
      state: 'ENABLED',
      variants: { legacy: 'legacy-flow', v2: 'new-flow' },
      defaultVariant: 'legacy',
      targeting: { if: [{ '==': [{ var: 'targetingKey' }, 'victim'] }, 'v2', 'legacy'] },
    },
  },
  machines: {
    checkout: {
      version: 1,
      flags: ['checkout'],
      initial: 'legacy',
      enforcement,
      states: { legacy: {}, v2: {} },
      transitions: [{ from: 'legacy', to: 'v2' }],
    },
  },
});

let n = 0;
async function run(enforcement: 'audit' | 'enforce') {
  const sink = memorySink();
  const warnings: string[] = [];
  const logger = {
    error: () => undefined,
    warn: (m: string) => warnings.push(m),
    info: () => undefined,
    debug: () => undefined,
  };
  const provider = new StateMachineProvider({
    source: document(enforcement),
    audit: createAuditLog({ sinks: [sink], checkpointEvery: 0 }),
    logger,
  });
  const domain = `hostile-contexts-${n++}`;
  await OpenFeature.setProviderAndWait(domain, provider);
  OpenFeature.setLogger(logger);
  const client = OpenFeature.getClient(domain);
  const results = [];
  for (const c of HOSTILE_CONTEXTS) {
    results.push({
      c,
      d: await client.getStringDetails('checkout', 'fallback', c.context() as EvaluationContext),
    });
  }
  await OpenFeature.clearProviders();
  await provider.audit.flush();
  const records = sink.records.filter(
    (r): r is AuditRecord & { state_change: object } => r.state_change !== undefined,
  );
  return { provider, results, records, warnings, sink };
}

describe(`${HOSTILE_CONTEXTS.length} hostile evaluation contexts`, () => {
  for (const enforcement of ['audit', 'enforce'] as const) {
    it(`${enforcement} mode: each subject as expected, never two merged, targeting and enforcement agreeing`, async () => {
      const { results, records, provider, sink } = await run(enforcement);
      const tracked = HOSTILE_CONTEXTS.filter((c) => c.subject !== undefined);
      // One state-init per tracked context, with its subject exactly: nothing merged or truncated.
      expect(records.map((r) => r.state_change!.subject)).toEqual(tracked.map((c) => c.subject));
      expect(records.every((r) => r.state_change!.to === 'legacy')).toBe(true);
      for (const { c, d } of results) {
        expect(d.value, c.name).not.toBe('new-flow'); // no context lets targeting see the victim
        if (c.targetingError) expect(d, c.name).toMatchObject({ value: 'fallback', errorCode: 'GENERAL' });
        else if (c.subject !== undefined)
          expect(d, c.name).toMatchObject({ value: 'legacy-flow', variant: 'legacy' });
        else if (enforcement === 'enforce') {
          // Enforce mode: no subject, no decision; the policy serves the caller's default.
          expect(d, c.name).toMatchObject({
            value: 'fallback',
            reason: 'ERROR',
            errorCode: 'TARGETING_KEY_MISSING',
          });
        } else expect(d, c.name).toMatchObject({ value: 'legacy-flow' });
      }
      const untracked = HOSTILE_CONTEXTS.filter((c) => c.subject === undefined && !c.targetingError).length;
      if (enforcement === 'audit') expect(provider.hook.stats().missingSubject).toBe(untracked);
      else {
        const evidence = sink.records.filter((r) => r.event.action === 'enforcement-suspended');
        expect(evidence.map((r) => r.audit.suspension)).toMatchObject([
          { reason: 'subject_unusable', evaluations: untracked, served: { '(default)': untracked } },
        ]);
      }
    });
  }

  it('logs the first evaluation without a usable subject once per machine, saying what it got', async () => {
    const { warnings } = await run('audit');
    const lines = warnings.filter((w) => w.includes('no usable subject'));
    expect(lines).toEqual([
      'flagstate: machine "checkout": an evaluation of flag "checkout" has no usable subject at "targetingKey" (got null): it is not tracked (counted in stats().missingSubject; logged once per machine)',
    ]);
  });
});
