import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './fixtures/run-cli.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const commands = ['validate', 'graph', 'tail', 'verify', 'replay'];

describe('flagstate (the program)', { timeout: 30_000 }, () => {
  it('lists every command in --help and exits 0', () => {
    const r = runCli(['--help']);
    expect(r).toMatchObject({ status: 0 });
    for (const command of commands) expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it.each(commands)('%s --help prints its usage on stdout and exits 0', (command) => {
    const r = runCli([command, '--help']);
    expect(r).toMatchObject({ status: 0 });
    expect(r.stdout).toContain(`Usage: flagstate ${command} [options] <file`);
    expect(r.stderr).toBe('');
  });

  it('help <command> exits 0 too', () => {
    const r = runCli(['help', 'verify']);
    expect(r).toMatchObject({ status: 0 });
    expect(r.stdout).toContain('--public-key <file>');
  });

  it('--version prints the package version and exits 0', () => {
    const r = runCli(['--version']);
    expect(r).toMatchObject({ status: 0 });
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('exits 2 on an unknown option, naming it', () => {
    const r = runCli(['validate', '--strict', 'flags.json']);
    expect(r).toMatchObject({ status: 2 });
    expect(r.stderr).toContain("unknown option '--strict'");
  });

  it('exits 2 on an unknown command, with a suggestion', () => {
    const r = runCli(['verfiy', 'audit.ndjson']);
    expect(r).toMatchObject({ status: 2 });
    expect(r.stderr).toContain("unknown command 'verfiy'");
    expect(r.stderr).toContain('verify');
  });

  it('exits 2 on a missing argument', () => {
    const r = runCli(['verify']);
    expect(r).toMatchObject({ status: 2 });
    expect(r.stderr).toContain("missing required argument 'file'");
  });

  it('exits 2 on an option value outside its choices', () => {
    const r = runCli(['graph', 'flags.json', '--format', 'png']);
    expect(r).toMatchObject({ status: 2 });
    expect(r.stderr).toContain('Allowed choices are mermaid, dot');
  });

  it('exits 2 without a command, showing the help on stderr', () => {
    const r = runCli([]);
    expect(r).toMatchObject({ status: 2 });
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: flagstate');
  });
});
