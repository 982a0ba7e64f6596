// The parent's side of the multi-process test's workers: forking one, and waiting for its
// messages.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerArgs, WorkerMessage } from './evaluation-worker.js';

const WORKER = fileURLToPath(new URL('./evaluation-worker.ts', import.meta.url));

/** Forks a worker (run through tsx) in `cwd`, its output on ours. */
export function forkWorker(args: WorkerArgs, cwd: string): ChildProcess {
  return fork(WORKER, [JSON.stringify(args)], {
    cwd,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The next message of `type` from a worker, or an error after `ms`. */
export function nextMessage<T extends WorkerMessage['type']>(
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
