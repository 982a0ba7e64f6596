// `pnpm check:install`: tests the README's "Install" section the way a project outside this
// repository meets it. Packs every publishable package, creates a fresh project in a temporary
// directory (no "type" field, so CommonJS by default), runs the section's `npm install` lines
// there with each @flagstate package replaced by its tarball (the peers come from the registry),
// then runs in that project:
// - every snippet of "Three ways to use it" as an `.mjs` file, comparing what it prints with the
//   output its closing comments promise;
// - `require` and `import` of every export of every package, which must give the same names;
// - the `flagstate` bin: `--version`, `validate` and `graph`.
// Needs a build first (`pnpm build`) and the npm registry. `--keep` keeps the project.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  inParallel,
  type Manifest,
  packPackages,
  publishablePackages,
  ROOT,
  type RunResult,
  run,
} from './packages.js';

const started = performance.now();
const keep = process.argv.includes('--keep');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const problems: string[] = [];
const log = (line: string) => process.stdout.write(`${line}\n`);
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

/** The text of the README section that starts with `heading`, up to the next `## ` heading. */
function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "${heading}" section`);
  const end = readme.indexOf('\n## ', start + heading.length + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The fenced code blocks of one language in a piece of Markdown. */
function codeBlocks(markdown: string, language: string): string[] {
  const fence = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm');
  return [...markdown.matchAll(fence)].map((match) => match[1]!);
}

/**
 * What a snippet promises to print, from its closing `//` comments: either its whole output, or
 * `// 1st run: …`, `// 2nd run: …` for the output of each run in a row (a note after two spaces
 * in parentheses is not output).
 */
function promisedRuns(snippet: string): string[][] {
  const lines = snippet.trimEnd().split('\n');
  const closing: string[] = [];
  while (lines.length > 0 && lines.at(-1)!.startsWith('// ')) closing.unshift(lines.pop()!.slice(3));
  if (closing.length === 0) return [[]];
  const perRun = closing.map((line) => /^\d+(?:st|nd|rd|th) run: (.*?)(?:\s{2,}\(.*\))?$/.exec(line));
  if (perRun.every((match) => match !== null)) return perRun.map((match) => [match[1]!.trim()]);
  return [closing.map((line) => line.trim())];
}

/** The environment of a command in the project: none of the pnpm or npm settings of this run. */
const cleanEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|pnpm_|PNPM_|NODE_OPTIONS$|INIT_CWD$)/i.test(key)),
);
const npmEnv = { ...cleanEnv, npm_config_audit: 'false', npm_config_fund: 'false', NO_COLOR: '1' };

function expectRun(what: string, result: RunResult): boolean {
  if (result.code === 0) return true;
  problems.push(`${what} exited with ${result.code}:\n${result.output.replace(/^/gm, '    | ')}`);
  return false;
}

const packages = publishablePackages();
const byName = new Map(packages.map((p) => [p.name, p]));
const work = mkdtempSync(join(tmpdir(), 'flagstate-install-'));
const packs = join(work, 'packs');
const project = join(work, 'project');
mkdirSync(packs);
mkdirSync(project);
try {
  const tarballs = packPackages(packages, packs);
  log(`packed ${packages.length} packages (${elapsed()})`);

  // 1. The README's commands, each @flagstate package replaced by its tarball.
  const installSection = section('## Install');
  const commands = codeBlocks(installSection, 'sh')
    .flatMap((block) => block.split('\n'))
    .map((line) => line.trim())
    .filter((line) => line.startsWith('npm install '));
  if (commands.length === 0) throw new Error('the README\'s "Install" section has no `npm install` line');
  // A word's package name: `ioredis@5` names ioredis, `@scope/name@1` names @scope/name.
  const named = new Set(
    commands.flatMap((command) =>
      command
        .split(/\s+/)
        .slice(2)
        .map((word) => word.replace(/(?!^)@.*$/, '')),
    ),
  );
  for (const pkg of packages) {
    if (!named.has(pkg.name)) problems.push(`the README's "Install" section does not name ${pkg.name}`);
    for (const peer of Object.keys(pkg.manifest.peerDependencies ?? {}))
      if (!named.has(peer))
        problems.push(`the README's "Install" section does not name ${peer}, a peer of ${pkg.name}`);
  }
  for (const name of named)
    if (name.startsWith('@flagstate/') && !byName.has(name))
      problems.push(`the README's "Install" section names ${name}, which is no publishable package`);

  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'flagstate-install-check', version: '1.0.0', private: true }, null, 2)}\n`,
  );
  for (const command of commands) {
    const args = command
      .split(/\s+/)
      .slice(1)
      .map((word) => tarballs.get(word) ?? word);
    const result = await run('npm', args, { cwd: project, env: npmEnv });
    if (!expectRun(`\`${command}\``, result)) throw new Error('an install command failed');
    log(`ran   ${command} (${elapsed()})`);
  }

  // Nothing of ours came from the registry, and every peer is there in a range that fits.
  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { resolved?: string }>;
  };
  for (const [path, entry] of Object.entries(lock.packages))
    if (/(^|\/)node_modules\/@flagstate\//.test(path) && !entry.resolved?.startsWith('file:'))
      problems.push(`${path} was installed from ${entry.resolved}, not from its tarball`);
  expectRun(
    '`npm ls --all` (missing or invalid dependencies)',
    await run('npm', ['ls', '--all'], { cwd: project, env: npmEnv }),
  );

  // 2. Every snippet of "Three ways to use it", as an ES module.
  const snippets = codeBlocks(section('## Three ways to use it'), 'ts');
  if (snippets.length === 0) problems.push('the README\'s "Three ways to use it" has no ts snippet');
  const snippetResults = await inParallel(
    snippets.map((snippet, index) => async () => {
      const file = `snippet-${index + 1}.mjs`;
      const dir = join(project, `run-${index + 1}`);
      mkdirSync(dir);
      writeFileSync(join(project, file), snippet);
      const found: string[] = [];
      const runs = promisedRuns(snippet);
      for (const [at, promised] of runs.entries()) {
        const result = await run(process.execPath, [join(project, file)], { cwd: dir, env: cleanEnv });
        const what = `README snippet ${index + 1} (${snippet.split('\n', 1)[0]}…)${runs.length > 1 ? `, run ${at + 1}` : ''}`;
        if (result.code !== 0) {
          found.push(`${what} exited with ${result.code}:\n${result.output.replace(/^/gm, '    | ')}`);
          break;
        }
        const printed = result.output
          .trimEnd()
          .split('\n')
          .map((line) => line.trim());
        if (promised.length > 0 && JSON.stringify(printed) !== JSON.stringify(promised))
          found.push(
            `${what} printed\n    ${printed.join('\n    ')}\n  where the README promises\n    ${promised.join('\n    ')}`,
          );
      }
      return found;
    }),
    2,
  );
  problems.push(...snippetResults.flat());
  log(`ran   ${snippets.length} README snippets as .mjs files (${elapsed()})`);

  // 3. require and import of every export of every package.
  const specifiers: string[] = [];
  for (const pkg of packages) {
    const manifest = JSON.parse(
      readFileSync(join(project, 'node_modules', pkg.name, 'package.json'), 'utf8'),
    ) as Manifest;
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (subpath.endsWith('.json') || typeof target !== 'object' || target === null) continue;
      if (!('require' in target) || !('import' in target))
        problems.push(`${pkg.name}: the export "${subpath}" lacks an import or a require condition`);
      specifiers.push(subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);
    }
  }
  const list = JSON.stringify(specifiers);
  writeFileSync(
    join(project, 'exports.cjs'),
    `const names = {};\nfor (const s of ${list}) names[s] = Object.keys(require(s)).sort();\nconsole.log(JSON.stringify(names));\n`,
  );
  writeFileSync(
    join(project, 'exports.mjs'),
    `const names = {};\nfor (const s of ${list}) names[s] = Object.keys(await import(s)).sort();\nconsole.log(JSON.stringify(names));\n`,
  );
  // Without require(esm) (Node < 20.19 has none), so that only a real CommonJS build passes.
  const noRequireEsm = process.allowedNodeEnvironmentFlags.has('--experimental-require-module')
    ? ['--no-experimental-require-module']
    : [];
  const names = async (file: string): Promise<Record<string, string[]> | undefined> => {
    const args = file.endsWith('.cjs') ? [...noRequireEsm, file] : [file];
    const result = await run(process.execPath, args, { cwd: project, env: cleanEnv });
    return expectRun(`node ${args.join(' ')}`, result) ? JSON.parse(result.output) : undefined;
  };
  const [cjs, esm] = await Promise.all([names('exports.cjs'), names('exports.mjs')]);
  if (cjs !== undefined && esm !== undefined)
    for (const specifier of specifiers) {
      const [required, imported] = [cjs[specifier] ?? [], esm[specifier] ?? []];
      if (required.length === 0) problems.push(`require('${specifier}') gives no export`);
      if (JSON.stringify(required) !== JSON.stringify(imported))
        problems.push(
          `require('${specifier}') and import('${specifier}') differ: ${required.join(',')} vs ${imported.join(',')}`,
        );
    }
  log(`ran   require() and import() of ${specifiers.join(', ')} (${elapsed()})`);

  // 4. The flagstate command, through the bin npm linked.
  const flagstate = join(project, 'node_modules', '.bin', 'flagstate');
  const cliVersion = byName.get('@flagstate/cli')?.manifest.version;
  const version = await run(flagstate, ['--version'], { cwd: project, env: cleanEnv });
  if (expectRun('flagstate --version', version) && version.output.trim() !== cliVersion)
    problems.push(`flagstate --version printed "${version.output.trim()}", not "${cliVersion}"`);
  const flagsFile = join(project, 'flags.json');
  writeFileSync(
    flagsFile,
    JSON.stringify({
      flags: {
        checkout: {
          state: 'ENABLED',
          variants: { legacy: 'old', canary: 'new' },
          defaultVariant: 'legacy',
        },
      },
      machines: {
        checkout: {
          version: 1,
          flags: ['checkout'],
          initial: 'legacy',
          states: { legacy: {}, canary: {} },
          transitions: [{ from: 'legacy', to: 'canary' }],
        },
      },
    }),
  );
  expectRun(
    'flagstate validate flags.json',
    await run(flagstate, ['validate', flagsFile], { cwd: project, env: cleanEnv }),
  );
  const graph = await run(flagstate, ['graph', flagsFile], { cwd: project, env: cleanEnv });
  if (expectRun('flagstate graph flags.json', graph) && !graph.output.includes('stateDiagram-v2'))
    problems.push(`flagstate graph printed no Mermaid diagram:\n${graph.output}`);
  log(`ran   flagstate --version, validate, graph (${elapsed()})`);
} catch (error) {
  problems.push(error instanceof Error ? error.message : String(error));
} finally {
  if (problems.length === 0 && !keep) rmSync(work, { recursive: true, force: true });
  else log(`the project is kept in ${project}`);
}

if (problems.length > 0) {
  for (const problem of problems) log(`FAIL  ${problem}`);
  log(`check:install: ${problems.length} problems (${elapsed()})`);
  process.exitCode = 1;
} else {
  log(`check:install: the README's Install section works from packed tarballs (${elapsed()})`);
}
