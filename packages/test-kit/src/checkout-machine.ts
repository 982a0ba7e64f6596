/** The machine every contract runs against: DESIGN.md's checkout rollout. */
export const STATES = ['legacy', 'canary', 'v2', 'retired'] as const;

export const VALUES: Readonly<Record<string, string>> = {
  legacy: 'legacy-flow',
  canary: 'new-flow',
  v2: 'new-flow',
  retired: 'legacy-flow',
};

export interface CheckoutMachineOptions {
  /** @default "audit" */
  readonly enforcement?: 'audit' | 'enforce';
  /** @default 1 */
  readonly version?: number;
  /** `promote` needs the flag `checkout-v2-allowed`, as in DESIGN.md. @default false */
  readonly gate?: boolean;
  /** Version 2's `beta` maps to `canary`, as in DESIGN.md. @default false */
  readonly migrations?: boolean;
}

/** A machine definition as a document holds it, typed so that tests can edit one. */
export type MachineDefinition = {
  version: number;
  flags: string[];
  initial: string;
  enforcement?: 'audit' | 'enforce';
  states: Record<string, { minDwell?: string; maxDwell?: string; final?: boolean }>;
  transitions: { from: string | string[]; to: string; name?: string; guard?: { flag: string } }[];
  migrations?: { fromVersion: number; states: Record<string, string> }[];
};

/** DESIGN.md's checkout machine (legacy, canary with a 1h bake, v2, retired), bound to `checkout`. */
export function checkoutMachine(options: CheckoutMachineOptions = {}): MachineDefinition {
  return {
    version: options.version ?? 1,
    flags: ['checkout'],
    initial: 'legacy',
    ...(options.enforcement === undefined ? {} : { enforcement: options.enforcement }),
    states: { legacy: {}, canary: { minDwell: '1h' }, v2: { maxDwell: '90d' }, retired: { final: true } },
    transitions: [
      { from: 'legacy', to: 'canary', name: 'start-canary' },
      options.gate
        ? { from: 'canary', to: 'v2', name: 'promote', guard: { flag: 'checkout-v2-allowed' } }
        : { from: 'canary', to: 'v2', name: 'promote' },
      { from: ['canary', 'v2'], to: 'legacy', name: 'rollback' },
      { from: 'v2', to: 'retired' },
    ],
    ...(options.migrations ? { migrations: [{ fromVersion: 2, states: { beta: 'canary' } }] } : {}),
  };
}

/**
 * DESIGN.md's flag document ("Concepts"): `checkout` split 80/10/10 by fractional targeting,
 * its gate flag, and the machine in enforce mode at version 3.
 */
export const designDocument = {
  flags: {
    checkout: {
      state: 'ENABLED',
      variants: { legacy: 'legacy-flow', canary: 'new-flow', v2: 'new-flow' },
      defaultVariant: 'legacy',
      targeting: {
        fractional: [
          ['legacy', 80],
          ['canary', 10],
          ['v2', 10],
        ],
      },
    },
    'checkout-v2-allowed': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
  },
  machines: {
    checkout: checkoutMachine({ version: 3, enforcement: 'enforce', gate: true, migrations: true }),
  },
};

/** flagd targeting serving each assigned subject its state, everyone else `fallback`. */
export function flagdTargeting(assign: ReadonlyMap<string, string>, fallback: string): unknown {
  const byState = new Map<string, string[]>();
  for (const [subject, state] of assign) byState.set(state, [...(byState.get(state) ?? []), subject]);
  if (byState.size === 0) return undefined;
  const branches = [...byState].flatMap(([state, subjects]) => [
    { in: [{ var: 'targetingKey' }, subjects] },
    state,
  ]);
  return { if: [...branches, fallback] };
}
