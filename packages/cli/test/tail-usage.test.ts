import { writeFileSync } from 'node:fs';
import { createAuditLog, fileSink } from '@flagstate/audit';
import { suspensionRecord } from '@flagstate/core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, writeRollout } from './fixtures/audit-files.js';
import { type RunningCli, runCli, spawnCli, tempDir } from './fixtures/run-cli.js';

const tmp = tempDir();
const rollout = tmp.path('rollout.ndjson');
const suspended = tmp.path('suspended.ndjson');
const empty = tmp.path('empty.ndjson');
const running: RunningCli[] = [];
beforeAll(async () => {
  await writeRollout(rollout, { subjects: 2 });
  // A suspension record is of a machine without being a state change.
  const log = createAuditLog({ sinks: [fileSink(suspended)], service: 'checkout-api' });
  log.append(
    suspensionRecord({
      machine: 'search',
      reason: 'store_unavailable',
      policy: 'hold',
      evaluations: 3,
      served: { legacy: 3 },
      from: '2026-11-23T10:15:30.123Z',
      to: '2026-11-23T10:15:31.123Z',
    }),
  );
  await log.close();
  writeFileSync(empty, '');
});
afterAll(() => {
  for (const cli of running) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  tmp.remove();
});

const lines = (text: string) => text.split('\n').filter(Boolean);
const ALL_ACTIONS =
  'state-init (init), state-transition (transition), state-transition-illegal (illegal, transition-illegal), ' +
  'state-transition-held (held, transition-held), state-migration (migration), state-stale (stale), ' +
  'state-race (race), audit-checkpoint (checkpoint), audit-gap (gap), enforcement-suspended (suspended)';

describe('flagstate tail: an unknown filter value is a usage error', { timeout: 30_000 }, () => {
  it('exits 2 for an unknown --action, suggesting the nearest and listing every valid one', () => {
    const r = runCli(['tail', rollout, '--action', 'ilegal']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: option '--action <action>' argument 'ilegal' is invalid. Did you mean "illegal"? It must be one of: ${ALL_ACTIONS}.\n(run with --help for usage)\n`,
    );
  });

  it('lists the valid actions without a guess when none is near', () => {
    const r = runCli(['tail', rollout, '--action', 'init', '--action', 'promotion']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)[0]).toBe(
      `error: option '--action <action>' argument 'promotion' is invalid. It must be one of: ${ALL_ACTIONS}.`,
    );
  });

  it('accepts every action in full and short, as --help lists them', () => {
    const help = runCli(['tail', '--help']).stdout.replace(/\s+/g, ' ');
    for (const action of ['state-transition-illegal', 'illegal', 'transition-illegal', 'suspended'])
      expect(help).toContain(`"${action}"`);
    for (const action of ['state-transition', 'transition-illegal', 'suspended']) {
      const r = runCli(['tail', rollout, '--action', action]);
      expect({ action, status: r.status, stderr: r.stderr }).toEqual({ action, status: 0, stderr: '' });
    }
    const inits = runCli(['tail', rollout, '--action', 'init']);
    expect(lines(inits.stdout)).toEqual([
      '10:15:30.123 checkout user-0 → legacy (init)',
      '10:15:30.123 checkout user-1 → legacy (init)',
    ]);
  });

  it('exits 2 for a --machine that no record is of, listing the machines the files hold', () => {
    const r = runCli(['tail', rollout, suspended, '--machine', 'chekout']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('flagstate: no record is of machine "chekout" (machines seen: checkout, search)\n');
  });

  it('prints the records of the known machines first, then names the unknown ones', () => {
    const r = runCli([
      'tail',
      rollout,
      '--machine',
      'checkout',
      '--machine',
      'serch',
      '--machine',
      'x\u001b[2J',
    ]);
    expect(r.status).toBe(2);
    // Checkpoints are of no machine.
    expect(lines(r.stdout)).toHaveLength(readLines(rollout).filter((l) => JSON.parse(l).state_change).length);
    expect(r.stderr).toBe(
      'flagstate: no record is of machines "serch", "x\\u001b[2J" (machines seen: checkout)\n',
    );
  });

  it('takes a suspension record for a record of its machine', () => {
    const r = runCli(['tail', rollout, suspended, '--machine', 'search', '--action', 'suspended']);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(lines(r.stdout)).toEqual([
      '10:15:31.123 enforcement-suspended search: enforcement suspended for 3 evaluations (store_unavailable); policy hold served legacy 3',
    ]);
  });

  it('cannot tell a typo from a machine with no records yet when the files hold no state record', () => {
    const r = runCli(['tail', empty, '--machine', 'checkout']);
    expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  it('with --follow, warns of a --machine unseen so far and keeps following', async () => {
    const cli = spawnCli(['tail', '--follow', rollout, '--machine', 'chekout']);
    running.push(cli);
    const warning =
      'flagstate: warning: no record is of machine "chekout" (machines seen: checkout); following on\n';
    for (const started = Date.now(); cli.stderr() !== warning && Date.now() - started < 5_000; )
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cli.stderr()).toBe(warning);
    cli.child.kill('SIGINT');
    expect(await cli.exited()).toEqual({ code: 0, signal: null });
    expect(cli.stdout()).toBe('');
  });

  it('exits 2 for a --threads that is not a number, in verify and replay', () => {
    for (const command of ['verify', 'replay']) {
      const r = runCli([command, rollout, '--threads', 'many']);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe('flagstate: --threads must be a whole number from 0 to 64, got "many"\n');
    }
  });
});
