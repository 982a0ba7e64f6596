import { parseMachines } from '@flagstate/core';
import { type JsonValue, OpenFeature } from '@openfeature/server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateDetails } from './evaluate.js';
import { loadFlagdEvaluatorSuite } from './flagd-evaluator-suite.js';
import { flagKeysWithEmptyMetadata, OVERLAY_SUBJECT } from './machine-overlay.js';
import { openSession } from './provider-session.js';
import type { FlagType } from './step-values.js';

const { features, document, overlay } = loadFlagdEvaluatorSuite();
const flags = document.flags as Record<
  string,
  { variants: Record<string, JsonValue>; defaultVariant?: unknown }
>;
const emptyMetadata = flagKeysWithEmptyMetadata(features);
const SUBJECT = { [OVERLAY_SUBJECT]: 'conformance-subject' };

/** The client method a flag needs, from its first variant's value, and a fallback of that type. */
function typeOf(key: string): { type: FlagType; fallback: JsonValue } {
  const value = Object.values(flags[key]?.variants ?? {})[0];
  if (typeof value === 'boolean') return { type: 'Boolean', fallback: !value };
  if (typeof value === 'string') return { type: 'String', fallback: `not-${value}` };
  if (typeof value === 'number') return { type: 'Float', fallback: value + 1 };
  return { type: 'Object', fallback: { fallback: true } };
}

afterAll(() => OpenFeature.clearProviders());

describe('machines added to the flagd evaluator suite document', () => {
  it('bind every flag: enforced, except those whose scenarios expect no metadata', () => {
    const withVariants = Object.keys(flags).filter(
      (key) => Object.keys(flags[key]!.variants ?? {}).length > 0,
    );
    expect([...overlay.enforce.keys(), ...overlay.audit.keys()].sort()).toEqual(withVariants.sort());
    expect([...overlay.audit.keys()].sort()).toEqual([...emptyMetadata].filter((k) => k in flags).sort());
    expect(overlay.enforce.size).toBeGreaterThan(overlay.audit.size);
    expect(Object.keys(overlay.document.flags as object)).toEqual(Object.keys(flags));
  });

  it('are a valid machines section: every variant of a bound flag is a state', () => {
    const machines = parseMachines(overlay.document);
    for (const [key, id] of overlay.enforce)
      expect(machines.forFlag(key)).toMatchObject({ id, enforcement: 'enforce' });
    for (const [key, id] of overlay.audit)
      expect(machines.forFlag(key)).toMatchObject({ id, enforcement: 'audit' });
    expect(machines.size).toBe(overlay.enforce.size + overlay.audit.size);
    for (const machine of machines) {
      for (const key of machine.flags)
        expect([...machine.stateNames].sort()).toEqual(Object.keys(flags[key]!.variants).sort());
    }
  });

  it('are loaded by the provider, which serves the enforce-bound flag through its machine', async () => {
    const session = await openSession(overlay.document);
    try {
      expect(session.provider.document?.machines.size).toBe(overlay.enforce.size + overlay.audit.size);
      let served = 0;
      for (const [key, id] of overlay.enforce) {
        const { type, fallback } = typeOf(key);
        const details = await evaluateDetails(session.client, type, key, fallback, SUBJECT);
        // Flags that need a richer context than a subject fail as flagd fails them: untouched.
        if (details.errorCode !== undefined || details.variant === undefined) {
          expect(details.flagMetadata).not.toHaveProperty('flagstate.machine');
          continue;
        }
        served++;
        expect(details.flagMetadata).toMatchObject({
          'flagstate.machine': id,
          'flagstate.requested': details.variant,
        });
      }
      expect(served).toBeGreaterThan(overlay.enforce.size / 2);
    } finally {
      await session.close();
    }
  });

  it('are observed by the provider hook: a first evaluation of a bound flag writes a state-init record', async () => {
    const session = await openSession(overlay.document);
    const served = new Map<string, string>();
    try {
      for (const key of [...overlay.enforce.keys(), ...overlay.audit.keys()]) {
        const { type, fallback } = typeOf(key);
        const details = await evaluateDetails(session.client, type, key, fallback, SUBJECT);
        if (details.errorCode === undefined && details.variant !== undefined)
          served.set(key, details.variant);
      }
    } finally {
      await session.close();
    }
    expect(served.size).toBeGreaterThan(0);
    for (const [key, variant] of served) {
      const id = overlay.enforce.get(key) ?? overlay.audit.get(key);
      const records = session.sink.records.filter((r) => r.feature_flag?.key === key);
      expect(records.map((r) => [r.event.action, r.state_change?.machine, r.state_change?.to])).toEqual([
        ['state-init', id, variant],
      ]);
    }
  });
});
