import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { withTimeout } from './with-timeout.js';

export interface TailExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running `flagstate tail --follow <file>` and the lines it has printed so far. */
export interface TailProcess {
  readonly lines: readonly string[];
  /** Waits until `predicate(lines)` holds; rejects after `timeoutMs` or if the command ends first. */
  until(predicate: (lines: readonly string[]) => boolean, timeoutMs: number, what: string): Promise<void>;
  /** Sends SIGTERM (following ends with exit 0) and waits for the exit; SIGKILL after `timeoutMs`. */
  stop(timeoutMs: number): Promise<TailExit>;
  /** SIGKILL if still running: for cleanup after a failure. */
  kill(): void;
}

/** The built `flagstate` command of the @flagstate/cli package. */
export function flagstateCli(): string {
  const pkg = createRequire(import.meta.url).resolve('@flagstate/cli/package.json');
  const cli = join(dirname(pkg), 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} does not exist: build the packages first (pnpm build)`);
  return cli;
}

export function startTail(file: string): TailProcess {
  const child = spawn(process.execPath, [flagstateCli(), 'tail', '--follow', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const lines: string[] = [];
  let stderr = '';
  const waiters = new Set<() => void>();
  let closed = false; // exited, and its output read to the end
  const exited = new Promise<TailExit>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      stderr += String(error);
      resolve({ code: null, signal: null });
    });
  });
  void exited.then(() => {
    closed = true;
    for (const wake of waiters) wake();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const wake of waiters) wake();
  });

  return {
    lines,
    async until(predicate, timeoutMs, what) {
      let wake: (() => void) | undefined;
      const reached = new Promise<void>((resolve, reject) => {
        wake = () => {
          if (predicate(lines)) resolve();
          else if (closed) reject(new Error(`flagstate tail ended before ${what}: ${stderr.trim()}`));
        };
        waiters.add(wake);
        wake();
      });
      try {
        await withTimeout(reached, timeoutMs, `flagstate tail: ${what}`);
      } finally {
        if (wake) waiters.delete(wake);
      }
    },
    async stop(timeoutMs) {
      if (running(child)) child.kill('SIGTERM');
      try {
        return await withTimeout(exited, timeoutMs, 'flagstate tail to exit on SIGTERM');
      } catch (error) {
        child.kill('SIGKILL');
        throw error;
      }
    },
    kill() {
      if (running(child)) child.kill('SIGKILL');
    },
  };
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
