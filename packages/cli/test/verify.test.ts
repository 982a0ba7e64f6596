import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeUnsignedClose, readLines, tamperings, writeRollout } from './fixtures/audit-files.js';
import { escapeRegExp } from './fixtures/escape-reg-exp.js';
import { runCli, tempDir } from './fixtures/run-cli.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

const signer = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const pem = (key: typeof signer.publicKey) => key.export({ type: 'spki', format: 'pem' }).toString();
const signerPem = tmp.path('signer.pem');
const strangerPem = tmp.path('stranger.pem');

const closed = tmp.path('closed.ndjson');
const signed = tmp.path('signed.ndjson');
const rotated = tmp.path('rotated/audit.ndjson');
let closedLines: string[] = [];
let rotatedFiles: string[] = [];

beforeAll(async () => {
  writeFileSync(signerPem, pem(signer.publicKey));
  writeFileSync(strangerPem, pem(stranger.publicKey));
  await writeRollout(closed);
  await writeRollout(signed, { signingKey: signer.privateKey });
  rotatedFiles = (await writeRollout(rotated, { maxBytes: 4_000 })).files;
  closedLines = readLines(closed);
});

describe('flagstate verify', { timeout: 30_000 }, () => {
  it('prints a one-line summary of a closed stream and exits 0', () => {
    const r = runCli(['verify', closed]);
    expect(r).toMatchObject({ status: 0 });
    expect(r.stdout).toBe(
      `ok: ${closedLines.length} records, 1 stream, closed, checkpoints cover 1..${closedLines.length}\n`,
    );
  });

  it('verifies a stream rotated across files, given in any order', () => {
    expect(rotatedFiles.length).toBeGreaterThan(2);
    const r = runCli(['verify', ...[...rotatedFiles].reverse()]);
    expect(r).toMatchObject({ status: 0 });
    expect(r.stdout).toMatch(/^ok: 34 records, 1 stream, closed, checkpoints cover 1\.\.34\n$/);
  });

  it('summarises each stream when the files hold several', () => {
    const r = runCli(['verify', closed, signed]);
    expect(r).toMatchObject({ status: 0 });
    const [head, ...streams] = r.stdout.trim().split('\n');
    expect(head).toBe('ok: 68 records, 2 streams');
    expect(streams).toHaveLength(2);
    for (const s of streams)
      expect(s).toMatch(/^ {2}[0-9a-f-]{36}: 34 records, closed, checkpoints cover 1\.\.34$/);
  });

  it.each(Object.keys(tamperings))(
    'names the first bad record of a %s copy, as file:line, and exits 1',
    (kind) => {
      const { lines, line, reason } = tamperings[kind]!(closedLines);
      const file = tmp.path(`${kind}.ndjson`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      const r = runCli(['verify', file]);
      expect(r).toMatchObject({ status: 1 });
      // A line that is not a record has no sequence to name.
      const what =
        reason === 'malformed' ? reason : `record ${JSON.parse(lines[line - 1]!).event.sequence} ${reason}`;
      expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^${escapeRegExp(file)}:${line}: ${what}: \\S`));
    },
  );

  it('with --public-key, refuses a signed stream cut short and closed by an unsigned checkpoint', () => {
    const forged = forgeUnsignedClose(readLines(signed), 9);
    const file = tmp.path('forged.ndjson');
    writeFileSync(file, `${forged.lines.join('\n')}\n`);
    expect(runCli(['verify', file])).toMatchObject({ status: 0 }); // the chain alone is whole
    const r = runCli(['verify', file, '--public-key', signerPem]);
    expect(r).toMatchObject({ status: 1 });
    expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^${escapeRegExp(file)}:10: record 10 unsigned: `));
  });

  it('verifies what retention kept with --allow-pruned, and still finds an edit in it', () => {
    // The rotated stream without its oldest file, as fileSink's maxFiles leaves it.
    const oldest = [...rotatedFiles].sort((a, b) => b.localeCompare(a))[0]!;
    const kept = rotatedFiles.filter((f) => f !== oldest);
    const strict = runCli(['verify', ...kept]);
    expect(strict).toMatchObject({ status: 1 });
    expect(strict.stdout).toMatch(/ deleted: /);
    const pruned = runCli(['verify', ...kept, '--allow-pruned']);
    expect(pruned).toMatchObject({ status: 0 });
    expect(pruned.stdout).toMatch(
      /^ok: \d+ records, 1 stream, closed, checked from record \d+ \(earlier ones pruned\)/,
    );
  });

  it('accepts a stream without its closing checkpoint with --allow-open', () => {
    const file = tmp.path('open.ndjson');
    // Up to and including the last checkpoint before the close.
    const lastCheckpoint = closedLines.findLastIndex(
      (l, i) => i < closedLines.length - 1 && JSON.parse(l).event.action === 'audit-checkpoint',
    );
    writeFileSync(file, `${closedLines.slice(0, lastCheckpoint + 3).join('\n')}\n`);
    const strict = runCli(['verify', file]);
    expect(strict).toMatchObject({ status: 1 });
    expect(strict.stdout).toContain(
      `${file}:${lastCheckpoint + 3}: record ${lastCheckpoint + 3} truncated: `,
    );
    const open = runCli(['verify', file, '--allow-open']);
    expect(open).toMatchObject({ status: 0 });
    expect(open.stdout).toBe(
      `ok: ${lastCheckpoint + 3} records, 1 stream, open, checkpoints cover 1..${lastCheckpoint + 1}\n`,
    );
  });

  it('checks checkpoint signatures with --public-key', () => {
    const r = runCli(['verify', signed, '--public-key', signerPem]);
    expect(r).toMatchObject({ status: 0 });
    expect(r.stdout).toBe('ok: 34 records, 1 stream, closed, checkpoints cover 1..34, signed\n');
  });

  it('exits 1 with bad_signature when the checkpoints were signed with another key', () => {
    const firstCheckpoint = readLines(signed).findIndex(
      (l) => JSON.parse(l).event.action === 'audit-checkpoint',
    );
    const r = runCli(['verify', signed, '--public-key', strangerPem]);
    expect(r).toMatchObject({ status: 1 });
    const at = `${signed}:${firstCheckpoint + 1}: record ${firstCheckpoint + 1} bad_signature: `;
    expect(r.stdout.split('\n')[0]).toBe(
      `${at}checkpoint ${firstCheckpoint + 1}'s signature does not verify with the given key`,
    );
  });

  it('reports a line that is not JSON as malformed', () => {
    const file = tmp.path('malformed.ndjson');
    writeFileSync(
      file,
      `${closedLines.slice(0, 3).join('\n')}\n{"oops\n${closedLines.slice(3).join('\n')}\n`,
    );
    const r = runCli(['verify', file]);
    expect(r).toMatchObject({ status: 1 });
    expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^${escapeRegExp(file)}:4: malformed: not JSON`));
  });

  // Lines of ASCII without a backslash or control character skip the scanner's own check of
  // their text (the CLI checks their bytes a block at once): these are the lines that must not.
  it('checks a line that spells a value with an escape by its meaning, and one with a raw control character as not JSON', () => {
    const at = closedLines.findIndex((l) => l.includes('"message":"checkout'));
    const escaped = closedLines.map((l, i) =>
      i === at ? l.replace('"message":"checkout', '"message":"\\u0063heckout') : l,
    );
    expect(escaped[at]).toContain('\\u0063heckout');
    const file = tmp.path('escaped.ndjson');
    writeFileSync(file, `${escaped.join('\n')}\n`);
    expect(runCli(['verify', file])).toMatchObject({ status: 0 });
    expect(runCli(['verify', '--threads', '0', file])).toMatchObject({ status: 0 });

    const tab = closedLines.map((l, i) =>
      i === at ? l.replace('"message":"checkout', '"message":"\tcheckout') : l,
    );
    const raw = tmp.path('raw-tab.ndjson');
    writeFileSync(raw, `${tab.join('\n')}\n`);
    const r = runCli(['verify', raw]);
    expect(r).toMatchObject({ status: 1 });
    expect(r.stdout.split('\n')[0]).toMatch(
      new RegExp(`^${escapeRegExp(raw)}:${at + 1}: malformed: not JSON`),
    );
  });

  it('exits 2 for an unreadable audit file or key, and for a key that is not Ed25519', () => {
    const missing = runCli(['verify', tmp.path('missing.ndjson')]);
    expect(missing).toMatchObject({ status: 2 });
    expect(missing.stderr).toBe(`flagstate: cannot read ${tmp.path('missing.ndjson')}: no such file\n`);

    const noKey = runCli(['verify', closed, '--public-key', tmp.path('missing.pem')]);
    expect(noKey).toMatchObject({ status: 2 });
    expect(noKey.stderr).toContain(`cannot read ${tmp.path('missing.pem')}`);

    const rsaPem = tmp.path('rsa.pem');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    writeFileSync(rsaPem, rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const wrongKind = runCli(['verify', closed, '--public-key', rsaPem]);
    expect(wrongKind).toMatchObject({ status: 2 });
    expect(wrongKind.stderr).toBe(`flagstate: ${rsaPem}: an rsa key; checkpoints are signed with Ed25519\n`);
  });
});
