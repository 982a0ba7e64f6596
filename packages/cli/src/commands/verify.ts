import type { StreamReport, VerifyProblem, VerifyReport } from '@flagstate/audit';
import { AuditVerifier } from '@flagstate/audit/internal';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-code.js';
import { checkReadable, inRecordOrder } from '../internal/audit-files.js';
import { orderOf } from '../internal/chunk-task.js';
import { plural } from '../internal/plural.js';
import { printable } from '../internal/printable.js';
import { MAX_LINE_BYTES, parseThreads, threadsFor } from '../internal/read-options.js';
import { readPublicKey } from '../internal/read-public-key.js';
import { runChunks } from '../internal/worker-pool.js';
import type { Io } from '../io.js';

export interface VerifyCommandOptions {
  readonly publicKey?: string;
  readonly allowOpen?: boolean;
  readonly allowPruned?: boolean;
  readonly threads?: number;
}

export function registerVerify(program: Command, { io, done }: CommandContext): void {
  program
    .command('verify')
    .description('check the hash chain and checkpoints of audit files; name the first bad record')
    .argument(
      '<file...>',
      'audit files (NDJSON), rotated ones and earlier process lifetimes included, in any order',
    )
    .option('--public-key <file>', 'Ed25519 public key (PEM) that checks checkpoint signatures')
    .option(
      '--allow-open',
      'accept a newest stream without its closing checkpoint (a log still being written)',
    )
    .option('--allow-pruned', 'accept streams whose oldest files were deleted by retention (maxFiles)')
    .option(
      '--threads <n>',
      'worker threads that check lines beside the main thread (default: one per core but one, 0 for none)',
      parseThreads,
    )
    .action(async (files: string[], options: VerifyCommandOptions) => done(await verify(files, options, io)));
}

/** Prints `ok: …` and returns 0, or prints the first bad record as `file:line: …` and returns 1. */
export async function verify(
  files: readonly string[],
  options: VerifyCommandOptions,
  io: Io,
): Promise<ExitCode> {
  const key = options.publicKey === undefined ? undefined : readPublicKey(options.publicKey);
  const bytes = checkReadable(files);
  const rules = { requireClosed: options.allowOpen !== true, requireStart: options.allowPruned !== true };
  const verifier = new AuditVerifier({ ...rules, ...(key === undefined ? {} : { publicKey: key }) });
  const publicKey = key?.export({ type: 'spki', format: 'pem' }).toString();
  const spec = {
    kind: 'verify',
    options: { ...rules, ...(publicKey === undefined ? {} : { publicKey }) },
  } as const;
  await runChunks(inRecordOrder(files), spec, threadsFor(options.threads, bytes), (result, chunk) => {
    // A line too long to read comes as a chunk without bytes: it is malformed, not absent.
    if (chunk.tooLong !== undefined) {
      const error = `line is ${chunk.tooLong} bytes, longer than ${MAX_LINE_BYTES}: not read`;
      verifier.add(
        { text: '', file: chunk.file, line: chunk.firstLine, error },
        orderOf(chunk.fileIndex, chunk.firstLine),
      );
    }
    if (result.kind === 'verify') verifier.merge(result.partial);
  });
  const report = verifier.report();
  if (report.firstBad !== undefined) {
    io.out(printable(describeProblem(report.firstBad)));
    const more = report.problems.length - 1 + report.unlisted;
    if (more > 0) io.out(`(and ${plural(more, 'more problem')} in other streams or lines)`);
    return ExitCode.failed;
  }
  const [only, ...others] = report.streams;
  const head = `ok: ${plural(report.count, 'record')}, ${describeStreams(report)}`;
  if (only !== undefined && others.length === 0) io.out(printable(`${head}, ${describeStream(only)}`));
  else {
    io.out(head);
    for (const s of report.streams)
      io.out(printable(`  ${s.stream}: ${plural(s.count, 'record')}, ${describeStream(s)}`));
  }
  return ExitCode.ok;
}

/** `file:line: record 7 edited: …`, the form editors and CI annotations jump to. */
function describeProblem(p: VerifyProblem): string {
  const at = p.file === undefined ? '' : `${p.file}${p.line === undefined ? '' : `:${p.line}`}: `;
  const record = p.sequence === undefined ? '' : `record ${p.sequence} `;
  return `${at}${record}${p.reason}: ${p.message}`;
}

/** `1 stream`, `3 streams linked across 3 process lifetimes`, `5 streams in 2 lineages`. */
function describeStreams(report: VerifyReport): string {
  const streams = plural(report.streams.length, 'stream');
  const linked = report.lineages.filter((l) => l.length > 1);
  if (linked.length === 0) return streams;
  if (report.lineages.length === 1)
    return `${streams} linked across ${report.streams.length} process lifetimes`;
  return `${streams} in ${report.lineages.length} lineages`;
}

function describeStream(s: StreamReport): string {
  const parts = [s.sealed ? 'sealed after a crash' : s.closed ? 'closed' : 'open'];
  if (s.previous !== undefined) parts.push(`continues ${s.previous}`);
  if (s.firstSequence > 1) parts.push(`checked from record ${s.firstSequence} (earlier ones pruned)`);
  parts.push(s.checkpoints === 0 ? 'no checkpoints' : `checkpoints cover 1..${s.coveredTo}`);
  if (s.signed) parts.push('signed');
  return parts.join(', ');
}
