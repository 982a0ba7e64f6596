import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AuditRecord, readAuditFiles, replayAudit, verifyAudit } from '@flagstate/audit';
import { openDurableState, storeSnapshot } from '@flagstate/core';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/durable-service.mjs', import.meta.url));
const CWD = fileURLToPath(new URL('..', import.meta.url));
const USERS = 100;

interface Run {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(prefix: string): Promise<string>;
}

function run(dir: string, durability: string, script: string, env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [FIXTURE, dir, durability, script, String(USERS)], {
    cwd: CWD,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...env },
  });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  let partial = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((w) => line.startsWith(w.prefix))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    exited,
    waitFor: (prefix) =>
      new Promise((resolve, reject) => {
        const found = lines.find((l) => l.startsWith(prefix));
        if (found !== undefined) return resolve(found);
        waiters.push({ prefix, resolve });
        void exited.then(({ code, signal }) =>
          reject(new Error(`child exited (${code ?? signal}) before "${prefix}":\n${stderr}`)),
        );
      }),
  };
}

/** The last variant each subject was served, as the child acknowledged after each evaluation returned. */
function acknowledged(lines: readonly string[]): Map<string, string> {
  const acks = new Map<string, string>();
  for (const line of lines) {
    const [word, subject, variant] = line.split(' ');
    if (word === 'ack') acks.set(subject!, variant!);
  }
  return acks;
}

/** The audit files, oldest first, as the CLI is given them. */
function auditPaths(dir: string): string[] {
  const rotation = (name: string) =>
    name === 'audit.ndjson' ? 0 : Number(name.slice('audit.ndjson.'.length));
  return readdirSync(dir)
    .filter((name) => name.startsWith('audit.ndjson'))
    .sort((a, b) => rotation(b) - rotation(a))
    .map((name) => join(dir, name));
}
const files = (dir: string) => readAuditFiles(auditPaths(dir));

/** After a stop: held subjects still held, the chain whole without --allow-open, replay = store. */
async function checkAfterStop(
  dir: string,
  durability: string,
  acks: Map<string, string>,
  strictAcks: boolean,
) {
  const check = run(dir, durability, 'check');
  const recovery = JSON.parse((await check.waitFor('recovery ')).slice('recovery '.length));
  const served = JSON.parse((await check.waitFor('served ')).slice('served '.length)) as Record<
    string,
    { variant: string; held: string | null }
  >;
  expect((await check.exited).code).toBe(0);
  for (let i = 0; i < USERS; i++)
    expect(served[`user-${i}`]).toEqual({ variant: 'canary', held: 'min_dwell' });

  const entries = files(dir);
  const report = verifyAudit(entries);
  expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
  const records = entries.map((e) => e.record as AuditRecord);
  // No known subject is ever initialised twice: versions continue across lifetimes.
  const inits = records.filter((r) => r.event.action === 'state-init').map((r) => r.state_change!.subject);
  expect(new Set(inits).size).toBe(inits.length);

  const state = openDurableState({ dir });
  try {
    const snapshot = await storeSnapshot(state.store);
    const replayed = replayAudit(entries);
    expect(replayed.conflicts).toEqual([]);
    expect(snapshot).toEqual(replayed.states);
    const byKey = new Map(snapshot.map((s) => [s.subject, s]));
    let lost = 0;
    for (const [subject, variant] of acks) {
      const s = byKey.get(subject);
      if (s?.state !== variant) lost++;
    }
    if (strictAcks) expect(lost).toBe(0);
    for (let i = 0; i < USERS; i++) {
      const s = byKey.get(`user-${i}`)!;
      const entered = records.find(
        (r) => r.state_change?.subject === `user-${i}` && r.event.action === 'state-transition',
      )!.state_change!.entered_at;
      // The bake time counts from the original entry, in the first lifetime.
      expect(new Date(s.enteredAt).toISOString()).toBe(entered);
      expect(s).toMatchObject({ state: 'canary', version: 3, pending: 'v2' });
    }
    return { recovery, lost, records: records.length };
  } finally {
    await state.close();
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('durable state across restarts (child processes, the documented setup)', () => {
  for (const durability of ['strict', 'batched'] as const) {
    it(`${durability}: graceful close, SIGTERM, SIGINT and a crash keep every subject where it was`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `flagstate-durable-${durability}-`));
      const first = run(dir, durability, 'rollout');
      await first.waitFor('ready');
      await pause(100);
      first.child.send('close');
      expect(await first.exited).toEqual({ code: 0, signal: null });
      const acks = acknowledged(first.lines);
      await checkAfterStop(dir, durability, acks, true);

      for (const stop of ['SIGTERM', 'SIGINT', 'crash'] as const) {
        const next = run(dir, durability, 'load');
        await next.waitFor('ready');
        await pause(150);
        if (stop === 'crash') next.child.send('crash');
        else next.child.kill(stop);
        const how = await next.exited;
        if (stop === 'crash') expect(how.code).toBe(1);
        else expect(how.signal).toBe(stop);
        for (const [s, v] of acknowledged(next.lines)) acks.set(s, v);
        // Every stop but SIGKILL writes what the API accepted: nothing is lost in either mode.
        await checkAfterStop(dir, durability, acks, true);
      }
    }, 60_000);
  }

  it("beside the application's own SIGTERM handler: flagstate never exits for it, and loses nothing while it drains", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagstate-durable-drain-'));
    const first = run(dir, 'batched', 'rollout');
    await first.waitFor('ready');
    first.child.send('close');
    await first.exited;
    const acks = acknowledged(first.lines);
    const next = run(dir, 'batched', 'drain');
    await next.waitFor('ready');
    await pause(100);
    next.child.kill('SIGTERM');
    await next.waitFor('closed');
    expect(await next.exited).toEqual({ code: 0, signal: null });
    const lines = next.lines;
    // Evaluations went on after the signal, and were recorded.
    expect(lines.slice(lines.indexOf('draining')).filter((l) => l.startsWith('ack ')).length).toBeGreaterThan(
      0,
    );
    for (const [s, v] of acknowledged(lines)) acks.set(s, v);
    await checkAfterStop(dir, 'batched', acks, true);
  }, 60_000);

  it('strict: SIGKILL at 20 random moments, many during rotation, loses no acknowledged state change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagstate-durable-kill-'));
    // 8 KiB files: a rotation every few records, so that kills land in the middle of them too.
    const env = { FILE_BYTES: String(8 * 1024) };
    const first = run(dir, 'strict', 'rollout', env);
    await first.waitFor('ready');
    first.child.kill('SIGKILL');
    await first.exited;
    const acks = acknowledged(first.lines);
    let recovered = 0;
    let tornAppended = false;
    for (let i = 0; i < 20; i++) {
      const next = run(dir, 'strict', 'load', env);
      await next.waitFor('ready');
      await pause(Math.floor(Math.random() * 300));
      next.child.kill('SIGKILL');
      await next.exited;
      const acked = acknowledged(next.lines);
      for (const [s, v] of acked) acks.set(s, v);
      // A torn line after a run that wrote (and so was left open): the next start must cut it
      // and say so in its seal. After a run killed before its first record, the stream on file
      // is closed, and the cut is only warned about.
      if (!tornAppended && i >= 7 && acked.size > 0) {
        appendFileSync(join(dir, 'audit.ndjson'), '{"@timestamp":"2026-12-01T00:00:0');
        tornAppended = true;
      }
      // After each stop: held subjects held, the chain whole, replay = store, nothing acknowledged lost.
      recovered = (await checkAfterStop(dir, 'strict', acks, true)).recovery.subjects;
    }
    expect(recovered).toBeGreaterThan(USERS);
    expect(tornAppended).toBe(true);
    // Each run that wrote before its SIGKILL was sealed by the next start (one killed at once
    // may have written nothing), and every stream verifies as closed.
    const { streams } = verifyAudit(files(dir));
    const seals = files(dir).filter((e) => (e.record as AuditRecord).audit.checkpoint?.sealed);
    expect(seals.length).toBeGreaterThanOrEqual(15);
    expect(streams.every((s) => s.closed)).toBe(true);
    expect(seals.some((e) => (e.record as AuditRecord).audit.checkpoint!.sealed!.torn_bytes > 0)).toBe(true);
    expect(auditPaths(dir).length).toBeGreaterThan(50);
  }, 240_000);
});
