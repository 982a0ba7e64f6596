// The flag documents the multi-process test's workers reload, in the same order: each phase
// moves a different share of the subjects (flagd `fractional` buckets by targeting key).
const PHASES: ReadonlyArray<ReadonlyArray<readonly [string, number]> | undefined> = [
  undefined,
  [
    ['legacy', 50],
    ['canary', 50],
  ],
  [
    ['legacy', 30],
    ['canary', 30],
    ['v2', 40],
  ],
  [
    ['canary', 40],
    ['v2', 60],
  ],
  [
    ['legacy', 60],
    ['v2', 40],
  ],
];

export const PHASE_COUNT = PHASES.length;

export const MACHINE = {
  version: 1,
  flags: ['checkout'],
  initial: 'legacy',
  states: { legacy: {}, canary: {}, v2: {} },
  transitions: [
    { from: 'legacy', to: 'canary', name: 'start-canary' },
    { from: 'canary', to: 'v2', name: 'promote' },
    { from: ['canary', 'v2'], to: 'legacy', name: 'rollback' },
  ],
};

/** Phase `phase`'s document: everyone on `legacy` at first, then fractional rollouts. */
export function phaseDocument(phase: number): Record<string, unknown> {
  const weights = PHASES[phase];
  return {
    flags: {
      checkout: {
        state: 'ENABLED',
        variants: { legacy: 'legacy-flow', canary: 'new-flow', v2: 'new-flow' },
        defaultVariant: 'legacy',
        ...(weights === undefined ? {} : { targeting: { fractional: weights.map(([s, w]) => [s, w]) } }),
      },
    },
    machines: { checkout: MACHINE },
  };
}
