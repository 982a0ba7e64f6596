import {
  formatDuration,
  LruStateStore,
  type Outcome,
  outcomeChain,
  parseMachines,
  TransitionEngine,
} from '@flagstate/core';

/** The checkout machine of DESIGN.md: legacy -> canary -> v2, with a bake time and a rollback. */
export const document = {
  machines: {
    checkout: {
      version: 3,
      flags: ['checkout'],
      initial: 'legacy',
      states: {
        legacy: {},
        canary: { minDwell: '1h' },
        v2: { maxDwell: '90d' },
        retired: { final: true },
      },
      transitions: [
        { from: 'legacy', to: 'canary', name: 'start-canary' },
        { from: 'canary', to: 'v2', name: 'promote' },
        { from: ['canary', 'v2'], to: 'legacy', name: 'rollback' },
        { from: 'v2', to: 'retired' },
      ],
    },
  },
};

const HOUR = 3_600_000;

/**
 * Replays a day of observations for three subjects through the transition engine and
 * returns one line per outcome, the way the audit stream will report them.
 */
export function runRollout(): string[] {
  let now = Date.UTC(2026, 10, 23, 9);
  const engine = new TransitionEngine({
    machines: parseMachines(document),
    store: new LruStateStore(),
    clock: { now: () => now },
  });
  const lines: string[] = [];
  const observe = (subject: string, state: string, afterMs = 0) => {
    now += afterMs;
    const outcome = engine.observe({ machine: 'checkout', subject, state }) as Outcome;
    for (const o of outcomeChain(outcome)) {
      const dwell = o.dwellMs === undefined ? '' : ` after ${formatDuration(o.dwellMs)}`;
      const why = o.reason ? ` [${o.reason}]` : '';
      const name = o.transition ? ` (${o.transition})` : '';
      lines.push(
        `${o.action.padEnd(24)} ${subject}: ${o.from ?? '∅'} -> ${o.to}${name}${dwell}${why} v${o.subjectVersion}`,
      );
    }
    if (outcome.kind === 'steady') lines.push(`${'steady'.padEnd(24)} ${subject}: ${state}`);
  };

  observe('user-1', 'legacy');
  observe('user-2', 'legacy');
  observe('user-3', 'canary');
  observe('user-1', 'legacy', 10 * 60_000);
  observe('user-1', 'canary', 5 * 60_000);
  observe('user-2', 'v2', 60_000); // skips canary: served anyway, flagged illegal
  observe('user-1', 'v2', 30 * 60_000); // before canary's 1h bake time: illegal
  observe('user-3', 'v2', 2 * HOUR); // baked: a legal promote
  observe('user-3', 'legacy', HOUR); // rollback
  return lines;
}
