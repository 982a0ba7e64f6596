// A throwaway redis-server on a free loopback port, or REDIS_URL when the binary is missing.
// Used by the redis tests, the Redis contract setup and the Redis benchmark.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findRedisServer } from './find-redis.js';
import { freePort, ping } from './loopback.js';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous kill on any exit, so a failing run never leaves a server behind.
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export interface RedisServerOptions {
  readonly port?: number;
  /**
   * `none`: an empty dataset at every start. `aof`: an append-only file fsync'ed on every
   * write (`appendfsync always`), so that a SIGKILL loses nothing Redis acknowledged and a
   * restart reloads it.
   */
  readonly persistence?: 'none' | 'aof';
  /**
   * Its data directory, kept by `dispose`: a server started again on the same directory
   * reloads its append-only file.
   * @default a temporary directory, removed by `dispose`
   */
  readonly dir?: string;
  /** More redis-server arguments (for example `--cluster-enabled yes`). */
  readonly args?: readonly string[];
}

/**
 * A redis-server child on a loopback port, in a temporary directory, without persistence
 * unless asked. A watchdog shell kills it if this process dies without running its exit
 * handlers.
 */
export class RedisServer {
  readonly port: number;
  readonly #binary: string;
  readonly #dir: string;
  readonly #ownDir: boolean;
  readonly #persistence: readonly string[];
  #child: ChildProcess | undefined;

  readonly #args: readonly string[];

  private constructor(
    binary: string,
    port: number,
    persistence: 'none' | 'aof',
    dir: string | undefined,
    args: readonly string[],
  ) {
    this.#args = args;
    this.#binary = binary;
    this.port = port;
    this.#ownDir = dir === undefined;
    this.#dir = dir ?? mkdtempSync(join(tmpdir(), 'flagstate-redis-'));
    mkdirSync(this.#dir, { recursive: true });
    this.#persistence =
      persistence === 'aof'
        ? ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always']
        : ['--save', '', '--appendonly', 'no'];
  }

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const binary = findRedisServer();
    if (binary === undefined) throw new Error('no redis-server binary on PATH');
    const port = options.port ?? (await freePort());
    const server = new RedisServer(
      binary,
      port,
      options.persistence ?? 'none',
      options.dir,
      options.args ?? [],
    );
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /**
   * Starts the server (again) on its port, and waits for PING: with an empty dataset, or with
   * what its append-only file holds.
   */
  async restart(): Promise<void> {
    if (this.#child !== undefined) throw new Error('redis-server is already running');
    installExitHook();
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', ...this.#persistence, ...this.#args];
    const child = spawn(this.#binary, [...args, '--dir', this.#dir], { stdio: 'ignore' });
    this.#child = child;
    running.add(child);
    child.once('exit', () => {
      running.delete(child);
      if (this.#child === child) this.#child = undefined;
    });
    spawn(
      'sh',
      [
        '-c',
        `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 0.5; done; kill -9 ${child.pid} 2>/dev/null`,
      ],
      { stdio: 'ignore', detached: true },
    ).unref();
    const until = Date.now() + 10_000;
    while (!(await ping(this.port))) {
      if (this.#child !== child) throw new Error(`redis-server exited before answering on port ${this.port}`);
      if (Date.now() > until) throw new Error(`redis-server did not answer on port ${this.port}`);
      await sleep(20);
    }
  }

  /** Stops the server (SIGTERM, SIGKILL after 5 s) and waits until it has exited. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Kills the server with SIGKILL, as a crash or the OOM killer would, and waits until it has exited. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Freezes the server (SIGSTOP): connections stay open, and nothing answers. */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  /** Lets a frozen server run again (SIGCONT): it answers what was sent meanwhile. */
  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  /** Stops the server and removes its directory, unless it was given one. */
  async dispose(): Promise<void> {
    await this.stop();
    if (this.#ownDir) rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** Where a test's Redis is, and how to let go of it. */
export interface RedisHandle {
  readonly url: string;
  /** Set when the test started its own server (absent with REDIS_URL). */
  readonly server: RedisServer | undefined;
  dispose(): Promise<void>;
}

/** Starts a redis-server when the binary exists, else uses REDIS_URL. */
export async function useRedis(): Promise<RedisHandle> {
  if (findRedisServer() !== undefined) {
    const server = await RedisServer.start();
    return { url: server.url, server, dispose: () => server.dispose() };
  }
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('no redis-server binary on PATH and no REDIS_URL');
  return { url, server: undefined, dispose: async () => {} };
}

let shared: Promise<RedisHandle> | undefined;

/** One Redis for the whole process (the contract setup), disposed by `disposeSharedRedis`. */
export function sharedRedis(): Promise<RedisHandle> {
  shared ??= useRedis();
  return shared;
}

export async function disposeSharedRedis(): Promise<void> {
  const handle = shared;
  shared = undefined;
  if (handle !== undefined) await (await handle).dispose();
}
