import { describe, expect, it } from 'vitest';
import { runRollout } from '../src/rollout.js';

describe('examples/core-basics', () => {
  it('reports each observation as the engine decides it', () => {
    const lines = runRollout().map((l) => l.replace(/\s+/g, ' '));
    expect(lines).toEqual([
      'state-init user-1: ∅ -> legacy v1',
      'state-init user-2: ∅ -> legacy v1',
      'state-init user-3: ∅ -> canary v1',
      'steady user-1: legacy',
      'state-transition user-1: legacy -> canary (start-canary) after 15m 0s v2',
      'state-transition-illegal user-2: legacy -> v2 after 16m 0s [not_allowed] v2',
      'state-transition-illegal user-1: canary -> v2 (promote) after 31m 0s [min_dwell] v3',
      'state-transition user-3: canary -> v2 (promote) after 2h 46m v2',
      'state-transition user-3: v2 -> legacy (rollback) after 1h 0m v3',
    ]);
  });
});
