import { appendFileSync, copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCli, spawnCli, tempDir } from './fixtures/run-cli.js';
import { type HostileAuditFile, hostileAuditFiles, type Outcome } from './hostile-audit/expectations.js';

const DOCUMENTS = fileURLToPath(new URL('./hostile-audit/documents/', import.meta.url));
const COMMANDS = ['verify', 'replay', 'tail'] as const;
type CommandName = (typeof COMMANDS)[number];
const tmp = tempDir();
const running: RunningCli[] = [];
afterAll(() => {
  for (const cli of running) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  tmp.remove();
});

interface Ran {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs every command line, as many at a time as there are cores; none may take over 20 s. */
async function runAll(commands: readonly (readonly string[])[]): Promise<Map<string, Ran>> {
  const results = new Map<string, Ran>();
  const queue = [...commands];
  const worker = async () => {
    for (let args = queue.shift(); args !== undefined; args = queue.shift()) {
      const cli = spawnCli(args);
      running.push(cli);
      const { code, signal } = await cli.exited(20_000);
      results.set(args.join(' '), { code, signal, stdout: cli.stdout(), stderr: cli.stderr() });
    }
  };
  await Promise.all(Array.from({ length: Math.max(2, availableParallelism()) }, worker));
  return results;
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
/** A character that would reach the terminal raw: C0 (but the newline), DEL, C1, or a lone surrogate. */
const RAW =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Checks what one command did against its expected outcome, `FILE` standing for `path`. */
function expectOutcome(ran: Ran, expected: Outcome, path: string): void {
  const at = (l: string) => l.replace(/^FILE(?=:)/, path);
  expect({ code: ran.code, signal: ran.signal }).toEqual({ code: expected.code, signal: null });
  // Never a crash: no stack, no "unexpected error", nothing printed raw.
  expect(ran.stderr).not.toMatch(/unexpected error|\n\s+at /);
  expect(RAW.test(ran.stdout), 'a raw control character in stdout').toBe(false);
  expect(RAW.test(ran.stderr), 'a raw control character in stderr').toBe(false);
  const out = lines(ran.stdout);
  if (expected.out?.length === 0) expect(out).toEqual([]);
  // Each expected line in full, in the order given.
  let from = 0;
  for (const line of (expected.out ?? []).map(at)) {
    const found = out.indexOf(line, from);
    expect(found, `stdout lacks, in order: ${line}\n--- stdout:\n${ran.stdout}`).toBeGreaterThanOrEqual(0);
    from = found + 1;
  }
  expect(lines(ran.stderr)).toEqual((expected.err ?? []).map(at));
}

const pathOf = (file: string) => join(DOCUMENTS, file);
const argsOf = (command: CommandName, path: string) => [command, path];
let results: Map<string, Ran>;

/** Made at test time rather than checked in: megabytes. */
const MiB = 1024 * 1024;
const baseline = () => lines(readFileSync(pathOf('valid-baseline.ndjson'), 'utf8'));
const generated = {
  /** A 17 MiB line (past the 16 MiB that is read) as line 3. */
  long: tmp.path('extremely-long-line.ndjson'),
  /**
   * Records 2 and 3 nested 100,000 levels deep (the second with a `\u` escape, which tail
   * revives), then a 1.5 MiB line: chunks of 1 MiB, whose lines worker threads must number.
   */
  deep: tmp.path('nested-100000-levels.ndjson'),
};

beforeAll(async () => {
  const base = baseline();
  writeFileSync(
    generated.long,
    `${[base[0], base[1], `{"padding":"${'x'.repeat(17 * MiB)}"}`, ...base.slice(2)].join('\n')}\n`,
  );
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  const nest = (line: string, extra = '') => line.replace('"log":', `"deep":${deep},${extra}"log":`);
  const padding = `{"padding":"${'x'.repeat(1.5 * MiB)}"}`;
  writeFileSync(
    generated.deep,
    `${[base[0], nest(base[1]!), nest(base[2]!, '"u":"\\u0041",'), ...base.slice(3), padding, 'not json'].join('\n')}\n`,
  );
  results = await runAll([
    ...hostileAuditFiles.flatMap((f) => COMMANDS.map((c) => argsOf(c, pathOf(f.file)))),
    ...COMMANDS.map((c) => argsOf(c, generated.long)),
    ...COMMANDS.map((c) => argsOf(c, generated.deep)),
    ['verify', '--threads', '2', generated.deep],
    ['replay', '--threads', '2', generated.deep],
    ['tail', '--threads', '2', generated.deep],
    ...THREADED_TAIL.map((file) => ['tail', '--threads', '1', pathOf(file)]),
  ]);
}, 300_000);

/** Files that tail also reads in a worker thread: printed the same, each record once, named by line. */
const THREADED_TAIL = [
  'control-characters-in-fields.ndjson',
  'invalid-utf8.ndjson',
  'top-level-scalars.ndjson',
  'not-json-lines.ndjson',
  'same-stream-id-twice.ndjson',
  'record-after-close.ndjson',
];

const title = (f: HostileAuditFile) => (f.coreBug === undefined ? f.tries : `${f.tries} [core bug]`);

describe('hostile audit files: verify, replay and tail name the file and line, and never crash', () => {
  it('keeps at least 25 files, every one with its expectation', () => {
    const files = readdirSync(DOCUMENTS).sort();
    expect(hostileAuditFiles.map((f) => f.file).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  it('names the file and line of every failure that verify reports', () => {
    for (const f of hostileAuditFiles) {
      if (f.verify.code !== 0) expect(f.verify.out?.[0], f.file).toMatch(/^FILE:\d+: /);
      for (const outcome of [f.replay, f.tail])
        for (const l of outcome.err ?? [])
          expect(l, f.file).toMatch(/^(FILE:\d+: |flagstate: \d+ lines? skipped)/);
    }
  });

  describe.each(hostileAuditFiles.map((f) => [f.file, title(f), f] as const))('%s: %s', (file, _title, f) => {
    it.each(COMMANDS)('%s', (command) => {
      const path = pathOf(file);
      expectOutcome(results.get(argsOf(command, path).join(' '))!, f[command], path);
    });
  });

  describe('made at test time', () => {
    const tooLong = 17 * MiB + '{"padding":""}'.length;
    it.each([
      [
        'verify',
        { code: 1, out: [`FILE:3: malformed: line is ${tooLong} bytes, longer than ${16 * MiB}: not read`] },
      ],
      [
        'replay',
        {
          code: 1,
          out: ['3 subjects in 1 machine, from 7 state records'],
          err: [
            `FILE:3: skipped: line is ${tooLong} bytes, longer than ${16 * MiB}`,
            'flagstate: 1 line skipped: the snapshot may lack their records',
          ],
        },
      ],
      [
        'tail',
        {
          code: 0,
          out: ['10:15:30.123 checkout user-2 → legacy (init)'],
          err: [`FILE:3: line is ${tooLong} bytes, longer than ${16 * MiB}: not read, skipped`],
        },
      ],
    ] as const)('an extremely long line: %s skips it, naming it, without holding it', (command, outcome) => {
      expectOutcome(results.get(argsOf(command, generated.long).join(' '))!, outcome, generated.long);
    });

    const deepVerify: Outcome = {
      code: 1,
      out: [
        'FILE:2: malformed: nested too deeply to check (more than 128 levels)',
        '(and 4 more problems in other streams or lines)',
      ],
    };
    const padding = 'not an audit record (event: expected an object, got nothing)';
    const deepReplay: Outcome = {
      code: 1,
      out: ['3 subjects in 1 machine, from 7 state records'],
      err: [
        `FILE:10: skipped: ${padding}`,
        `FILE:11: skipped: not JSON: Unexpected token 'o', "not json" is not valid JSON`,
        'flagstate: 2 lines skipped: the snapshot may lack their records',
      ],
    };
    const deepTail: Outcome = {
      code: 0,
      out: ['10:15:30.123 checkout user-1 → legacy (init)'],
      err: [
        'FILE:3: nested too deeply to read, skipped',
        `FILE:10: ${padding}, skipped`,
        'FILE:11: not JSON, skipped',
      ],
    };
    it.each([
      ['verify', deepVerify],
      ['replay', deepReplay],
      ['tail', deepTail],
    ] as const)('100,000 levels of nesting: %s', (command, outcome) => {
      expectOutcome(results.get(argsOf(command, generated.deep).join(' '))!, outcome, generated.deep);
    });

    // Several 1 MiB chunks: worker threads must number lines as the main thread does.
    it.each([
      ['verify', deepVerify],
      ['replay', deepReplay],
      ['tail', deepTail],
    ] as const)('the same lines named with --threads 2: %s', (command, outcome) => {
      const ran = results.get([command, '--threads', '2', generated.deep].join(' '))!;
      expectOutcome(ran, outcome, generated.deep);
    });
  });

  it.each(THREADED_TAIL)('tail --threads 1 prints %s as tail does in one thread', (file) => {
    const path = pathOf(file);
    const expected = hostileAuditFiles.find((f) => f.file === file)!.tail;
    expectOutcome(results.get(['tail', '--threads', '1', path].join(' '))!, expected, path);
  });
});

describe('tail --follow over hostile files', { timeout: 30_000 }, () => {
  const expected = (file: string) => hostileAuditFiles.find((f) => f.file === file)!.tail;

  it('prints what the files hold, as tail does, and stops on SIGINT', async () => {
    const files = [
      'null-objects.ndjson',
      'checkpoint-head-not-string.ndjson',
      'control-characters-in-fields.ndjson',
    ];
    // One stream id in all three: each record is printed once, so each file is followed alone.
    for (const file of files) {
      const cli = spawnCli(['tail', '--follow', pathOf(file)]);
      running.push(cli);
      const tail = expected(file);
      const last = tail.out!.at(-1)!;
      const warnings = tail.err?.length ?? 0;
      await cli.waitForStdout(
        (out) => lines(out).includes(last) && lines(cli.stderr()).length >= warnings,
        10_000,
      );
      cli.child.kill('SIGINT');
      expectOutcome(
        { ...(await cli.exited()), stdout: cli.stdout(), stderr: cli.stderr() },
        { ...tail, code: 0 },
        pathOf(file),
      );
    }
  });

  it('keeps following when hostile lines are appended, and prints the records after them', async () => {
    const path = tmp.path('followed.ndjson');
    copyFileSync(pathOf('valid-baseline.ndjson'), path);
    const cli = spawnCli(['tail', '--follow', path]);
    running.push(cli);
    await cli.waitForStdout((out) => lines(out).length >= 9);
    const hostile = [
      'checkpoint-head-not-string.ndjson',
      'null-objects.ndjson',
      'control-characters-in-fields.ndjson',
    ];
    const [head, nulls, control] = hostile.map((f) => lines(readFileSync(pathOf(f), 'utf8')));
    // A checkpoint whose head is a number used to kill a running tail --follow.
    appendFileSync(path, `${head![4]}\n${nulls![2]}\nnot json\n`);
    // Then a record past the last one printed (record 10 of the stream), with hostile text.
    const after = lines(readFileSync(pathOf('record-after-close.ndjson'), 'utf8'))[9]!;
    const record = JSON.parse(after);
    record.state_change.subject = JSON.parse(control![0]!).state_change.subject;
    appendFileSync(path, `${JSON.stringify(record)}\n`);
    await cli.waitForStdout((out) => lines(out).length >= 10 && lines(cli.stderr()).length >= 3);
    cli.child.kill('SIGINT');
    const ran = { ...(await cli.exited()), stdout: cli.stdout(), stderr: cli.stderr() };
    expectOutcome(
      ran,
      {
        code: 0,
        out: ['11:15:30.123 checkout user-\\u001b[2J\\u001b[H canary → v2 (promote, 1d 0h)'],
        err: [
          'FILE:10: not an audit record (audit.checkpoint.head: expected a string, got the number 42), skipped',
          'FILE:11: not an audit record (event: expected an object, got null), skipped',
          'FILE:12: not JSON, skipped',
        ],
      },
      path,
    );
  });
});
