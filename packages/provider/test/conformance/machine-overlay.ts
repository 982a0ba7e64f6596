import type { Feature } from './gherkin-runner.js';

/** The context attribute the overlay's machines read their subject from; no flag's targeting reads it. */
export const OVERLAY_SUBJECT = 'flagstateConformanceSubject';

/** Which machines the overlay added, by flag key. */
export interface MachineOverlay {
  readonly document: Record<string, unknown>;
  /** Machine id by flag key, for machines in `audit` mode. */
  readonly audit: ReadonlyMap<string, string>;
  /** Machine id by flag key, for machines in `enforce` mode. */
  readonly enforce: ReadonlyMap<string, string>;
}

/** Flag keys of scenarios that check `the resolved metadata is empty`. */
export function flagKeysWithEmptyMetadata(features: readonly Feature[]): Set<string> {
  const keys = new Set<string>();
  for (const scenario of features.flatMap((f) => f.scenarios)) {
    if (!scenario.steps.some((s) => s.text === 'the resolved metadata is empty')) continue;
    for (const step of scenario.steps) {
      for (const m of step.text.matchAll(/\bwith key "([^"]*)"/g)) keys.add(m[1] ?? '');
    }
  }
  return keys;
}

/**
 * `document` plus a `machines` section that binds every flag, so that every evaluation of the
 * suite is also a state observation, without changing any scenario's result. Each flag gets a
 * machine whose states are its variants, any move allowed, no bake time, reading its subject
 * from `OVERLAY_SUBJECT`. They enforce, except for flags whose scenarios expect no metadata:
 * enforcement adds `flagstate.*` metadata, so those are audited.
 */
export function withMachines(
  document: Record<string, unknown>,
  emptyMetadata: ReadonlySet<string>,
): MachineOverlay {
  if (document.machines !== undefined)
    throw new Error('the document already has machines; the overlay would replace them');
  const flags = document.flags;
  if (typeof flags !== 'object' || flags === null) throw new Error('the document has no flags');
  const machines: Record<string, unknown> = {};
  const audit = new Map<string, string>();
  const enforce = new Map<string, string>();
  Object.entries(flags as Record<string, unknown>)
    .sort(([a], [b]) => a.localeCompare(b))
    .forEach(([key, flag], i) => {
      const enforcement = emptyMetadata.has(key) ? 'audit' : 'enforce';
      const machine = machineFor(key, flag, enforcement);
      if (machine === undefined) return;
      const id = `conformance-${i}`;
      machines[id] = machine;
      (enforcement === 'audit' ? audit : enforce).set(key, id);
    });
  return { document: { ...document, machines }, audit, enforce };
}

/** A machine whose states are the flag's variants, starting at its default variant (else its first). */
function machineFor(key: string, flag: unknown, enforcement: 'audit' | 'enforce') {
  const { variants, defaultVariant } = (flag ?? {}) as { variants?: unknown; defaultVariant?: unknown };
  const names = typeof variants === 'object' && variants !== null ? Object.keys(variants) : [];
  if (names.length === 0) return undefined;
  const initial =
    typeof defaultVariant === 'string' && names.includes(defaultVariant) ? defaultVariant : names[0];
  return {
    version: 1,
    initial,
    flags: [key],
    subject: OVERLAY_SUBJECT,
    states: Object.fromEntries(names.map((n) => [n, {}])),
    transitions: names.length > 1 ? names.map((n) => ({ from: '*', to: n })) : [],
    enforcement,
  };
}
