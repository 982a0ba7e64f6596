import { execFileSync } from 'node:child_process';

export interface Scavenges {
  /** Young-generation collections between the script's `MARK start` and `MARK end` lines. */
  readonly count: number;
  /** The script's output, GC trace included. */
  readonly out: string;
  /** The trace lines of those collections, to show when a test fails. */
  readonly lines: readonly string[];
}

/**
 * Runs `script` in a child Node with `--trace-gc --expose-gc` and counts the young-generation
 * collections (scavenges) between the `MARK start` and `MARK end` lines it prints: how
 * allocation-free tests prove a path allocates nothing, without timing anything.
 */
export function scavengesDuring(script: string, args: readonly string[], cwd: string): Scavenges {
  const out = execFileSync(process.execPath, ['--trace-gc', '--expose-gc', script, ...args], {
    cwd,
    encoding: 'utf8',
  });
  const all = out.split('\n');
  const start = all.indexOf('MARK start');
  const end = all.indexOf('MARK end');
  if (start < 0 || end < start) throw new Error(`${script} printed no MARK start … MARK end:\n${out}`);
  const lines = all.slice(start, end).filter((l) => /Scavenge|Minor/i.test(l));
  return { count: lines.length, out, lines };
}
