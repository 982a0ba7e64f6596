/** The machine every contract runs against: DESIGN.md's checkout rollout. */
export const STATES = ['legacy', 'canary', 'v2', 'retired'] as const;

export const VALUES: Readonly<Record<string, string>> = {
  legacy: 'legacy-flow',
  canary: 'new-flow',
  v2: 'new-flow',
  retired: 'legacy-flow',
};

export function checkoutMachine(enforcement: 'audit' | 'enforce' = 'audit'): Record<string, unknown> {
  return {
    version: 1,
    flags: ['checkout'],
    initial: 'legacy',
    enforcement,
    states: { legacy: {}, canary: { minDwell: '1h' }, v2: { maxDwell: '90d' }, retired: { final: true } },
    transitions: [
      { from: 'legacy', to: 'canary', name: 'start-canary' },
      { from: 'canary', to: 'v2', name: 'promote' },
      { from: ['canary', 'v2'], to: 'legacy', name: 'rollback' },
      { from: 'v2', to: 'retired' },
    ],
  };
}

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
