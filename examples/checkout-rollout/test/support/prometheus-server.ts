import { type ChildProcess, spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free loopback port, as the kernel hands one out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One sample of an instant query's vector: its labels and value. */
export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * A Prometheus server of the test's own: a temporary config that scrapes the targets of a
 * file (`setTargets`, read through file-based service discovery, so that the scraped service
 * may pick its port after Prometheus started) every second, its data in a temporary directory,
 * on a free loopback port. `stop()` ends the process this started, and only it.
 */
export class PrometheusServer {
  readonly url: string;
  readonly #dir: string;
  readonly #child: ChildProcess;
  #output = '';

  private constructor(dir: string, port: number, child: ChildProcess) {
    this.#dir = dir;
    this.url = `http://127.0.0.1:${port}`;
    this.#child = child;
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.#keep(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.#keep(chunk));
  }

  static async start(binary: string, dir: string, job: string): Promise<PrometheusServer> {
    const config = join(dir, 'prometheus.yml');
    writeFileSync(join(dir, 'targets.json'), '[]\n');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        `  - job_name: ${job}`,
        '    file_sd_configs:',
        `      - files: ['${join(dir, 'targets.json')}']`,
        '        refresh_interval: 1s',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const child = spawn(
      binary,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const server = new PrometheusServer(dir, port, child);
    await server.#ready();
    return server;
  }

  /** What Prometheus printed, for a failure's message. */
  get output(): string {
    return this.#output;
  }

  /** Scrape these `host:port` targets from now on. */
  setTargets(targets: readonly string[]): void {
    const file = join(this.#dir, 'targets.json');
    writeFileSync(`${file}.tmp`, `${JSON.stringify([{ targets }])}\n`);
    renameSync(`${file}.tmp`, file);
  }

  /** An instant query through the HTTP API, evaluated at `time` (epoch seconds). */
  async query(expr: string, time: number): Promise<Sample[]> {
    const url = `${this.url}/api/v1/query?query=${encodeURIComponent(expr)}&time=${time}`;
    const body = (await (await fetch(url)).json()) as {
      status: string;
      error?: string;
      data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
    if (body.data.resultType !== 'vector') throw new Error(`query ${expr} gave a ${body.data.resultType}`);
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  async #ready(): Promise<void> {
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      if (this.#child.exitCode !== null) throw new Error(`prometheus exited:\n${this.#output}`);
      try {
        if ((await fetch(`${this.url}/-/ready`)).ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    await this.stop();
    throw new Error(`prometheus was not ready within 20 s:\n${this.#output}`);
  }

  #keep(chunk: string): void {
    this.#output = (this.#output + chunk).slice(-20_000);
  }
}
