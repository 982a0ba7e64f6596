// Four replicas (processes), each with its own RedisStateStore, StateMachineProvider and audit
// file, evaluate the same 1,000 subjects at once while targeting changes; afterwards the audit
// files and Redis must tell the same story.
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AuditRecord, readAuditFiles, storeSnapshot } from '@flagstate/core';
import { RedisStateStore } from '@flagstate/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raceProblems, versionProblems, writesBySubject } from './support/audit-checks.js';
import type { WorkerArgs, WorkerMessage } from './support/evaluation-worker.js';
import { PHASE_COUNT } from './support/phase-documents.js';
import { type RedisHandle, redisUnavailable, useRedis } from './support/redis-server.js';
import { deleteKeys } from './support/test-stores.js';

const WORKERS = 4;
const SUBJECTS = 1_000;
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const WORKER = fileURLToPath(new URL('./support/evaluation-worker.ts', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/cli.js');

/** The next message of `type` from a worker, or an error after `ms`. */
function next<T extends WorkerMessage['type']>(
  child: ChildProcess,
  type: T,
  ms = 20_000,
): Promise<Extract<WorkerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`worker ${child.pid}: no "${type}" within ${ms} ms`)), ms);
    const onMessage = (message: WorkerMessage) => {
      if (message.type === type) done(undefined, message as Extract<WorkerMessage, { type: T }>);
    };
    const onExit = (code: number | null) =>
      done(new Error(`worker ${child.pid} exited (${code}) before "${type}"`));
    const done = (error?: Error, message?: Extract<WorkerMessage, { type: T }>) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

const skip = redisUnavailable();
describe.skipIf(skip !== undefined)(`multi-process consistency${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let redis: RedisHandle;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    redis = await useRedis();
    dir = mkdtempSync(join(tmpdir(), 'flagstate-multi-'));
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await redis?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`${WORKERS} processes, ${SUBJECTS} shared subjects, ${PHASE_COUNT} targeting phases: audit files and Redis agree`, async () => {
    const keyPrefix = `flagstate-multi:${randomUUID().slice(0, 8)}:`;
    const files = Array.from({ length: WORKERS }, (_, w) => join(dir, `worker-${w}.ndjson`));
    for (let w = 0; w < WORKERS; w++) {
      const args: WorkerArgs = {
        url: redis.url,
        keyPrefix,
        file: files[w]!,
        worker: w,
        subjects: SUBJECTS,
        batch: 50,
      };
      children.push(
        fork(WORKER, [JSON.stringify(args)], {
          cwd: REPO,
          execArgv: ['--import', 'tsx'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      );
    }
    await Promise.all(children.map((c) => next(c, 'ready')));

    // Every worker reloads the same document at the same point, then evaluates every subject.
    for (let phase = 0; phase < PHASE_COUNT; phase++) {
      const done = Promise.all(children.map((c) => next(c, 'done')));
      for (const c of children) c.send({ type: 'phase', phase });
      for (const report of await done) {
        expect(report).toMatchObject({ phase, fallbacks: 0, evaluations: SUBJECTS });
      }
    }
    const closed = Promise.all(children.map((c) => next(c, 'closed')));
    for (const c of children) c.send({ type: 'close' });
    for (const stats of await closed) {
      expect(stats.failures).toBe(0); // no store failure hid an observation
      expect(stats.observed).toBe(SUBJECTS * PHASE_COUNT);
    }

    // flagstate verify: every file's chain and checkpoints.
    const verified = cli('verify', ...files);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain(`${WORKERS} streams`);

    // flagstate replay over the four files equals what Redis holds, exactly.
    const replayed = cli('replay', '--json', ...files);
    expect(replayed.status, replayed.stderr).toBe(0);
    const replay = JSON.parse(replayed.stdout) as { states: unknown[]; conflicts: unknown[] };
    expect(replay.conflicts).toEqual([]);
    const store = new RedisStateStore({ url: redis.url, keyPrefix, timeoutMs: 5_000 });
    try {
      const snapshot = await storeSnapshot(store);
      expect(snapshot).toHaveLength(SUBJECTS);
      expect(replay.states).toEqual(JSON.parse(JSON.stringify(snapshot)));
    } finally {
      await store.close();
      await deleteKeys(redis.url, keyPrefix);
    }

    // Versions run 1..n across the processes, and each write starts where the last one ended.
    const streams = files.map((file) =>
      readAuditFiles([file]).flatMap((e) => (e.record === undefined ? [] : [e.record as AuditRecord])),
    );
    const bySubject = writesBySubject(streams.flat());
    expect(bySubject.size).toBe(SUBJECTS);
    expect(versionProblems(bySubject)).toEqual([]);
    const writers = new Set(
      streams.flatMap((s, w) => (s.some((r) => r.event.action !== 'audit-checkpoint') ? [w] : [])),
    );
    expect(writers.size).toBe(WORKERS); // every process wrote some of the records

    // Races happened, and each was resolved from the winner's record.
    const { races, problems } = raceProblems(streams, bySubject);
    expect(problems).toEqual([]);
    expect(races).toBeGreaterThan(0);
    console.info(
      `multi-process: ${[...bySubject.values()].reduce((n, l) => n + l.length, 0)} writes, ${races} races`,
    );
  }, 60_000);
});
