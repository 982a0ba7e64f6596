// `pnpm check:packages`: packs every publishable package as `pnpm publish` would, and checks each
// tarball with are-the-types-wrong (`--profile node16`) and publint (`--strict`; a suggestion
// fails too), plus what neither looks at: the licence, the changelog and the metadata every
// package must carry. Needs a build first (`pnpm build`). Exits 1 and prints every tool's report
// when anything is wrong.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  inParallel,
  NODE_RANGE,
  type PublishablePackage,
  packPackages,
  publishablePackages,
  REPOSITORY,
  ROOT,
  run,
  tarballEntries,
  tarballFile,
} from './packages.js';

const started = performance.now();
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
const rootLicense = readFileSync(join(ROOT, 'LICENSE'), 'utf8');

/** What is wrong with a package's directory and manifest; empty when nothing is. */
function sourceProblems({ name, dir, manifest }: PublishablePackage): string[] {
  const problems: string[] = [];
  const read = (file: string) => {
    try {
      return readFileSync(join(ROOT, dir, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  const license = read('LICENSE');
  if (license === undefined) problems.push(`${dir}/LICENSE is missing (copy the root LICENSE)`);
  else if (license !== rootLicense) problems.push(`${dir}/LICENSE differs from the root LICENSE`);
  if (!read('CHANGELOG.md')?.startsWith(`# ${name}\n`))
    problems.push(`${dir}/CHANGELOG.md is missing or does not start with "# ${name}"`);
  if (manifest.license !== 'Apache-2.0') problems.push(`license is ${manifest.license}, not Apache-2.0`);
  const repository = manifest.repository;
  if (repository?.url !== `git+${REPOSITORY}.git` || repository.directory !== dir)
    problems.push(`repository must be { url: "git+${REPOSITORY}.git", directory: "${dir}" }`);
  if (manifest.homepage !== `${REPOSITORY}/tree/main/${dir}#readme`)
    problems.push(`homepage must be "${REPOSITORY}/tree/main/${dir}#readme"`);
  if (manifest.bugs?.url !== `${REPOSITORY}/issues`) problems.push(`bugs.url must be "${REPOSITORY}/issues"`);
  if (manifest.engines?.node !== NODE_RANGE)
    problems.push(`engines.node is ${manifest.engines?.node}, not "${NODE_RANGE}" like every package`);
  return problems;
}

/** What is wrong with the tarball's contents, beyond what attw and publint check. */
function tarballProblems(tarball: string): string[] {
  const problems: string[] = [];
  const entries = new Set(tarballEntries(tarball));
  for (const file of ['package.json', 'LICENSE', 'README.md', 'CHANGELOG.md'])
    if (!entries.has(file)) problems.push(`the tarball has no ${file}`);
  const packed = tarballFile(tarball, 'package.json');
  if (packed.includes('"workspace:')) problems.push('the packed package.json still has a workspace: version');
  if (tarballFile(tarball, 'LICENSE') !== rootLicense)
    problems.push('the packed LICENSE is not the root LICENSE');
  for (const target of Object.values((JSON.parse(packed) as { bin?: Record<string, string> }).bin ?? {}))
    if (!entries.has(target.replace(/^\.\//, ''))) problems.push(`the bin ${target} is not in the tarball`);
  return problems;
}

interface Report {
  readonly name: string;
  readonly problems: string[];
  readonly reports: string[];
}

async function check(pkg: PublishablePackage, tarball: string): Promise<Report> {
  const problems = [...sourceProblems(pkg), ...tarballProblems(tarball)];
  const reports: string[] = [];
  const attw = await run(bin('attw'), [tarball, '--profile', 'node16', '--format', 'ascii', '--no-color']);
  if (attw.code !== 0) {
    problems.push('are-the-types-wrong (--profile node16) found problems');
    reports.push(attw.output);
  }
  const publint = await run(bin('publint'), ['run', tarball, '--strict']);
  if (publint.code !== 0 || !/All good!/.test(publint.output)) {
    problems.push('publint (--strict) found problems');
    reports.push(publint.output);
  }
  return { name: pkg.name, problems, reports };
}

const packages = publishablePackages();
const destination = mkdtempSync(join(tmpdir(), 'flagstate-packages-'));
let failed = 0;
try {
  const tarballs = packPackages(packages, destination);
  const results = await inParallel(
    packages.map((pkg) => () => check(pkg, tarballs.get(pkg.name)!)),
    Math.max(2, availableParallelism()),
  );
  for (const { name, problems, reports } of results) {
    if (problems.length === 0) {
      process.stdout.write(`ok    ${name}: attw (node16), publint, LICENSE, CHANGELOG, metadata\n`);
      continue;
    }
    failed++;
    process.stdout.write(`FAIL  ${name}\n${problems.map((p) => `      - ${p}\n`).join('')}`);
    for (const report of reports) process.stdout.write(`${report.replace(/^/gm, '      | ')}\n`);
  }
} finally {
  rmSync(destination, { recursive: true, force: true });
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (failed > 0) {
  process.stdout.write(`check:packages: ${failed} of ${packages.length} packages failed (${seconds} s)\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(`check:packages: ${packages.length} packages ready to publish (${seconds} s)\n`);
}
