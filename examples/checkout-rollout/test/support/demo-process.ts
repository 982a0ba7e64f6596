import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const demo = fileURLToPath(new URL('../../src/demo.ts', import.meta.url));

/** tsx's command line script, found through its package's `bin`, as `pnpm start` runs it. */
function tsxCli(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: string | Record<string, string> };
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin.tsx!);
}

export interface DemoRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the demo as `pnpm demo` typed in `cwd` does (pnpm sets INIT_CWD to where it was typed),
 * with `env` added to this process's environment; `onLine` hears each line it prints as it
 * prints it.
 */
export function runDemoProcess(
  cwd: string,
  env: Record<string, string>,
  onLine: (line: string) => void = () => {},
): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli(), demo], {
      cwd,
      env: { ...process.env, INIT_CWD: cwd, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) onLine(line);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
