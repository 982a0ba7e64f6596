import { type StreamReport, type VerifyProblem, verifyAudit } from '@flagstate/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-code.js';
import { plural } from '../internal/plural.js';
import { readAuditEntries } from '../internal/read-audit-entries.js';
import { readPublicKey } from '../internal/read-public-key.js';
import type { Io } from '../io.js';

export interface VerifyCommandOptions {
  readonly publicKey?: string;
  readonly allowOpen?: boolean;
  readonly allowPruned?: boolean;
}

export function registerVerify(program: Command, { io, done }: CommandContext): void {
  program
    .command('verify')
    .description('check the hash chain and checkpoints of audit files; name the first bad record')
    .argument('<file...>', 'audit files (NDJSON), rotated ones included, in any order')
    .option('--public-key <file>', 'Ed25519 public key (PEM) that checks checkpoint signatures')
    .option('--allow-open', 'accept a stream without its closing checkpoint (a log still being written)')
    .option('--allow-pruned', 'accept a stream whose oldest files were deleted by retention (maxFiles)')
    .action((files: string[], options: VerifyCommandOptions) => done(verify(files, options, io)));
}

/** Prints `ok: …` and returns 0, or prints the first bad record as `file:line: …` and returns 1. */
export function verify(files: readonly string[], options: VerifyCommandOptions, io: Io): ExitCode {
  const publicKey = options.publicKey === undefined ? undefined : readPublicKey(options.publicKey);
  const entries = readAuditEntries(files);
  const report = verifyAudit(entries, {
    ...(publicKey === undefined ? {} : { publicKey }),
    requireClosed: options.allowOpen !== true,
    requireStart: options.allowPruned !== true,
  });
  if (report.firstBad !== undefined) {
    io.out(describeProblem(report.firstBad));
    const more = report.problems.length - 1;
    if (more > 0) io.out(`(and ${plural(more, 'more problem')} in other streams or lines)`);
    return ExitCode.failed;
  }
  const [only, ...others] = report.streams;
  const head = `ok: ${plural(report.count, 'record')}, ${plural(report.streams.length, 'stream')}`;
  if (only !== undefined && others.length === 0) io.out(`${head}, ${describeStream(only)}`);
  else {
    io.out(head);
    for (const s of report.streams)
      io.out(`  ${s.stream}: ${plural(s.count, 'record')}, ${describeStream(s)}`);
  }
  return ExitCode.ok;
}

/** `file:line: record 7 edited: …`, the form editors and CI annotations jump to. */
function describeProblem(p: VerifyProblem): string {
  const at = p.file === undefined ? '' : `${p.file}${p.line === undefined ? '' : `:${p.line}`}: `;
  const record = p.sequence === undefined ? '' : `record ${p.sequence} `;
  return `${at}${record}${p.reason}: ${p.message}`;
}

function describeStream(s: StreamReport): string {
  const parts = [s.closed ? 'closed' : 'open'];
  if (s.firstSequence > 1) parts.push(`checked from record ${s.firstSequence} (earlier ones pruned)`);
  parts.push(s.checkpoints === 0 ? 'no checkpoints' : `checkpoints cover 1..${s.coveredTo}`);
  if (s.signed) parts.push('signed');
  return parts.join(', ');
}
