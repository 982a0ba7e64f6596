import type { Feature } from './gherkin-runner.js';

/** Which machines the overlay added, by flag key. */
export interface MachineOverlay {
  readonly document: Record<string, unknown>;
  /** Machine id by flag key, for machines in `audit` mode (the default). */
  readonly audit: ReadonlyMap<string, string>;
  /** Machine id by flag key, for machines in `enforce` mode. */
  readonly enforce: ReadonlyMap<string, string>;
}

const AUDIT_MACHINES = 3;

/** Flag keys the scenarios name (`... with key "K" ...`), skipped scenarios included. */
export function flagKeysNamed(features: readonly Feature[]): Set<string> {
  const keys = new Set<string>();
  for (const step of features.flatMap((f) => f.scenarios.flatMap((s) => s.steps))) {
    for (const m of step.text.matchAll(/\bwith key "([^"]*)"/g)) keys.add(m[1] ?? '');
  }
  return keys;
}

/**
 * `document` plus a `machines` section that must not change any scenario's result: machines bound
 * to flags no scenario names (the first in `enforce` mode, up to three more in `audit` mode).
 * Only when no other unnamed flag is left are named flags bound, in `audit` mode, which serves
 * what targeting says. Each machine's states are its flag's variants, so every variant is a state.
 */
export function withMachines(document: Record<string, unknown>, named: ReadonlySet<string>): MachineOverlay {
  if (document.machines !== undefined)
    throw new Error('the document already has machines; the overlay would replace them');
  const flags = document.flags;
  if (typeof flags !== 'object' || flags === null) throw new Error('the document has no flags');
  const entries = Object.entries(flags as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  const unnamed = entries.filter(([key]) => !named.has(key));
  const [enforced, ...rest] = unnamed;
  const others = rest.length > 0 ? rest : entries.filter(([key]) => key !== enforced?.[0]);
  const audited = others.slice(0, AUDIT_MACHINES);

  const machines: Record<string, unknown> = {};
  const audit = new Map<string, string>();
  const enforce = new Map<string, string>();
  if (enforced !== undefined) {
    const id = 'conformance-enforce-0';
    machines[id] = machineFor(enforced[0], enforced[1], 'enforce');
    enforce.set(enforced[0], id);
  }
  audited.forEach(([key, flag], i) => {
    const id = `conformance-audit-${i}`;
    machines[id] = machineFor(key, flag, 'audit');
    audit.set(key, id);
  });
  return { document: { ...document, machines }, audit, enforce };
}

/**
 * A machine whose states are the flag's variants, starting at its default variant (else its
 * first), with moves from the start to every other state and back.
 */
function machineFor(key: string, flag: unknown, enforcement: 'audit' | 'enforce'): Record<string, unknown> {
  const { variants, defaultVariant } = (flag ?? {}) as { variants?: unknown; defaultVariant?: unknown };
  const names = typeof variants === 'object' && variants !== null ? Object.keys(variants) : [];
  const initial =
    typeof defaultVariant === 'string' && names.includes(defaultVariant) ? defaultVariant : names[0];
  if (initial === undefined) throw new Error(`flag "${key}" has no variants to use as states`);
  return {
    version: 1,
    initial,
    flags: [key],
    states: Object.fromEntries(names.map((n) => [n, {}])),
    transitions: names
      .filter((n) => n !== initial)
      .flatMap((n) => [
        { from: initial, to: n },
        { from: n, to: initial },
      ]),
    enforcement,
  };
}
