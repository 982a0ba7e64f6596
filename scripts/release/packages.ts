// What the release checks share: the publishable packages of the workspace, and packing them
// with pnpm (which rewrites `workspace:` versions, as `pnpm publish` does).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where every package says its source, home page and issue tracker are. */
export const REPOSITORY = 'https://github.com/flagstate/flagstate';

/** The one Node.js range every published package declares (`util.styleText`, `crypto.hash`). */
export const NODE_RANGE = '>=20.12';

export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly repository?: { readonly type?: string; readonly url?: string; readonly directory?: string };
  readonly homepage?: string;
  readonly bugs?: { readonly url?: string };
  readonly engines?: Record<string, string>;
  readonly exports?: Record<string, unknown>;
  readonly bin?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

export interface PublishablePackage {
  readonly name: string;
  /** Relative to the root, with forward slashes: `packages/core`. */
  readonly dir: string;
  readonly manifest: Manifest;
}

/** Every package under packages/ that is not private, sorted by directory. */
export function publishablePackages(): PublishablePackage[] {
  const found: PublishablePackage[] = [];
  for (const entry of readdirSync(join(ROOT, 'packages'), { withFileTypes: true })) {
    const manifestPath = join(ROOT, 'packages', entry.name, 'package.json');
    if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.private === true) continue;
    found.push({ name: manifest.name, dir: `packages/${entry.name}`, manifest });
  }
  return found.sort((a, b) => a.dir.localeCompare(b.dir));
}

/**
 * The pnpm that runs this script when there is one (`pnpm check:packages`), else the version the
 * root package.json pins, through npx.
 */
export function pnpmCommand(): { command: string; args: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm(\.c?js)?$/.test(basename(execPath)))
    return { command: process.execPath, args: [execPath] };
  const pinned = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { packageManager: string })
    .packageManager;
  return { command: 'npx', args: ['-y', pinned] };
}

/** Packs each package into `destination`; returns each package name's tarball path. */
export function packPackages(
  packages: readonly PublishablePackage[],
  destination: string,
): Map<string, string> {
  const pnpm = pnpmCommand();
  const filters = packages.flatMap((p) => ['--filter', p.name]);
  const args = [...pnpm.args, '--recursive', ...filters, 'pack', '--pack-destination', destination, '--json'];
  const packed = spawnSync(pnpm.command, args, { cwd: ROOT, encoding: 'utf8' });
  if (packed.status !== 0)
    throw new Error(
      `${pnpm.command} ${args.join(' ')} failed:\n${packed.stdout}${packed.stderr}${packed.error ?? ''}`,
    );
  const parsed = JSON.parse(packed.stdout) as
    | { name: string; filename: string }
    | { name: string; filename: string }[];
  const tarballs = new Map<string, string>();
  for (const packed of Array.isArray(parsed) ? parsed : [parsed]) tarballs.set(packed.name, packed.filename);
  for (const p of packages)
    if (!tarballs.has(p.name)) throw new Error(`pnpm pack wrote no tarball for ${p.name}`);
  return tarballs;
}

export interface RunResult {
  readonly code: number;
  readonly output: string;
}

/** Runs a command to its end without throwing; stdout and stderr interleaved in `output`. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('error', (error) => resolve({ code: -1, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** Runs `tasks` with at most `limit` at a time, keeping their order in the result. */
export async function inParallel<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** The file names inside a tarball, without npm's `package/` prefix. */
export function tarballEntries(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^package\//, ''));
}

/** One file of a tarball, as text. */
export function tarballFile(tarball: string, path: string): string {
  return execFileSync('tar', ['-xzOf', tarball, `package/${path}`], { encoding: 'utf8' });
}
