import { verifyAudit } from '@flagstate/audit';
import { describe, expect, it } from 'vitest';
import { runHookOnly } from '../src/run-hook-only.js';

describe('examples/hook-only', () => {
  it('records every change of served variant, flagging the moves the machine forbids', async () => {
    const { lines, records } = await runHookOnly();

    const moves = records.map((r) => [
      r.event.action,
      r.state_change?.subject,
      r.state_change?.from,
      r.state_change?.to,
      r.state_change?.reason,
    ]);
    expect(moves).toEqual([
      ['state-init', 'user-1', undefined, 'legacy', undefined],
      ['state-init', 'user-2', undefined, 'legacy', undefined],
      ['state-init', 'user-3', undefined, 'legacy', undefined],
      ['state-transition', 'user-1', 'legacy', 'canary', undefined],
      ['state-transition', 'user-2', 'legacy', 'canary', undefined],
      ['state-transition-illegal', 'user-2', 'canary', 'v2', 'min_dwell'],
      ['state-transition-illegal', 'user-3', 'legacy', 'v2', 'not_allowed'],
      ['state-transition', 'user-1', 'canary', 'v2', undefined],
      ['state-transition', 'user-2', 'v2', 'legacy', undefined],
      ['audit-checkpoint', undefined, undefined, undefined, undefined],
    ]);

    // The forbidden move was still served, and the record says so.
    const illegal = records.find((r) => r.state_change?.subject === 'user-3' && r.state_change.to === 'v2');
    expect(illegal).toMatchObject({
      log: { level: 'warn' },
      event: { outcome: 'failure', type: ['change'] },
      feature_flag: { key: 'checkout', provider: { name: 'in-memory' }, result: { variant: 'v2' } },
      state_change: { machine: 'checkout', subject_version: 2 },
    });
    expect(records.find((r) => r.state_change?.transition === 'start-canary')?.state_change?.dwell_ms).toBe(
      10 * 60_000,
    );
    expect(verifyAudit(records).ok).toBe(true);

    expect(lines).toContain(
      '  #7   state-transition-illegal  user-3  legacy → v2 after 40m 0s  [not_allowed]',
    );
    expect(lines.some((l) => l.includes('user-3=v2 (new-flow)'))).toBe(true);
  });
});
