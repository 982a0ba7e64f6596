// The flag documents the multi-process test's workers reload, in the same order. flagd's
// `fractional` buckets subjects by targeting key, in the listed order: each phase rotates the
// three thirds of the subjects to their next state (legacy -> canary -> v2 -> legacy), so that
// a subject's record, the previous phase's target and this phase's are often three different
// states, and a worker that has not loaded the new document yet races one that has with
// different states.
const PHASES: ReadonlyArray<ReadonlyArray<readonly [string, number]> | undefined> = [
  undefined,
  [
    ['canary', 34],
    ['v2', 33],
    ['legacy', 33],
  ],
  [
    ['v2', 34],
    ['legacy', 33],
    ['canary', 33],
  ],
  [
    ['legacy', 34],
    ['canary', 33],
    ['v2', 33],
  ],
  [
    ['canary', 34],
    ['v2', 33],
    ['legacy', 33],
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

/** A document that serves `state` to every subject, for `machine` (MACHINE unless given). */
export function servingDocument(
  state: string,
  machine: Record<string, unknown> = MACHINE,
): Record<string, unknown> {
  const doc = phaseDocument(0) as { flags: { checkout: Record<string, unknown> } };
  return {
    flags: { checkout: { ...doc.flags.checkout, defaultVariant: state } },
    machines: { checkout: machine },
  };
}
