import { join } from 'node:path';
import { parseAuditLines, readAuditLines, verifyAudit } from '@flagstate/audit';
import { ed25519, forgeUnsignedClose, tamperings } from '@flagstate/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditLines } from './support/audit-lines.js';
import { lifetimes, readLines, scratchDir, writeLines } from './support/lifetimes.js';

const entries = (lines: string[], file = 'audit.ndjson') => parseAuditLines(lines.join('\n'), file);

describe('verifyAudit', () => {
  it('accepts an untouched stream and says what the checkpoints cover', async () => {
    const lines = await auditLines();
    const report = verifyAudit(entries(lines));
    expect(report.ok).toBe(true);
    expect(report.firstBad).toBeUndefined();
    expect(report.count).toBe(lines.length);
    expect(report.streams).toHaveLength(1);
    expect(report.streams[0]).toMatchObject({
      closed: true,
      lastSequence: lines.length,
      coveredTo: lines.length,
    });
    expect(report.streams[0]!.checkpoints).toBe(Math.floor((lines.length - 1) / 6) + 1);
  });

  for (const [kind, tamper] of Object.entries(tamperings)) {
    it(`finds the ${kind} record`, async () => {
      const { lines, line, reason } = tamper(await auditLines());
      const report = verifyAudit(entries(lines));
      expect(report.ok).toBe(false);
      expect(report.firstBad).toMatchObject({ reason, file: 'audit.ndjson', line });
      if (kind === 'truncated') expect(report.firstBad!.message).toMatch(/checkpoints cover 1\.\.\d+/);
    });
  }

  it('accepts an open stream only when asked to', async () => {
    const lines = (await auditLines()).slice(0, -1); // drop the closing checkpoint
    expect(verifyAudit(entries(lines)).firstBad?.reason).toBe('truncated');
    expect(verifyAudit(entries(lines), { requireClosed: false }).ok).toBe(true);
  });

  it('checks Ed25519 checkpoint signatures with the public key', async () => {
    const signer = ed25519();
    const other = ed25519();
    const lines = await auditLines(12, { signingKey: signer.privateKey });
    const good = verifyAudit(entries(lines), { publicKey: signer.publicKey, requireSignatures: true });
    expect(good.ok).toBe(true);
    expect(good.streams[0]!.signed).toBe(true);
    const bad = verifyAudit(entries(lines), { publicKey: other.publicKey });
    expect(bad.firstBad).toMatchObject({ reason: 'bad_signature', line: 6 });
    const unsigned = await auditLines(3);
    expect(verifyAudit(entries(unsigned), { publicKey: signer.publicKey }).firstBad).toMatchObject({
      reason: 'unsigned',
      line: 6,
    });
    expect(verifyAudit(entries(unsigned), { publicKey: signer.publicKey, requireSignatures: false }).ok).toBe(
      true,
    );
  });

  it('catches a signed stream cut short and closed again by a forged unsigned checkpoint', async () => {
    const signer = ed25519();
    const lines = await auditLines(12, { signingKey: signer.privateKey });
    const forged = forgeUnsignedClose(lines, 15);
    // Its chain is whole: only signatures can tell.
    expect(verifyAudit(entries(forged.lines)).ok).toBe(true);
    const report = verifyAudit(entries(forged.lines), { publicKey: signer.publicKey });
    expect(report.firstBad).toMatchObject({ reason: 'unsigned', line: forged.line });
    // Even when the caller does not require signatures, one signed checkpoint makes the rest due.
    const lenient = verifyAudit(entries(forged.lines), {
      publicKey: signer.publicKey,
      requireSignatures: false,
    });
    expect(lenient.firstBad?.message).toMatch(/not signed, though earlier checkpoints of its stream are/);
  });

  it('verifies several streams interleaved in one file and spread over files', async () => {
    const a = await auditLines(6);
    const b = await auditLines(9);
    const interleaved: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i]) interleaved.push(a[i]!);
      if (b[i]) interleaved.push(b[i]!);
    }
    const one = verifyAudit(entries(interleaved));
    expect(one.ok).toBe(true);
    expect(one.streams).toHaveLength(2);
    // The same streams cut into files given in any order, as rotation leaves them.
    const spread = [
      ...entries(a.slice(10), 'audit.ndjson'),
      ...entries(b.slice(0, 12), 'audit.ndjson.2'),
      ...entries(a.slice(0, 10), 'audit.ndjson.1'),
      ...entries(b.slice(12), 'audit.ndjson'),
    ];
    const report = verifyAudit(spread);
    expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
    expect(report.count).toBe(a.length + b.length);
  });

  it('reports lines that are not records', async () => {
    const lines = await auditLines(2);
    const report = verifyAudit(entries([...lines.slice(0, 2), '{not json', ...lines.slice(2)]));
    expect(report.firstBad).toMatchObject({ reason: 'malformed', line: 3 });
  });

  it('gives the same verdict on lines as written as on parsed records, for every tampering', async () => {
    const lines = await auditLines(8);
    const asLines = (l: string[]) => l.map((text, i) => ({ text, file: 'audit.ndjson', line: i + 1 }));
    for (const tamper of [(l: string[]) => ({ lines: l }), ...Object.values(tamperings)]) {
      const { lines: tampered } = tamper(lines);
      expect(verifyAudit(asLines(tampered))).toEqual(verifyAudit(entries(tampered)));
    }
  });

  it('gives the same report whatever the order of the files, streamed from disk', async () => {
    const dir = scratchDir();
    const path = join(dir, 'audit.ndjson');
    await lifetimes(path, [7, 5, 6], [1]);
    const all = readLines(path);
    // Cut into files of 4 lines, as rotation would, plus another writer's file.
    const files = Array.from({ length: Math.ceil(all.length / 4) }, (_, i) =>
      writeLines(join(dir, `part-${i}.ndjson`), all.slice(i * 4, i * 4 + 4)),
    );
    await lifetimes(join(dir, 'other.ndjson'), [3, 3]);
    files.push(join(dir, 'other.ndjson'));
    const expected = verifyAudit(readAuditLines(files));
    expect(expected.ok, JSON.stringify(expected.firstBad)).toBe(true);
    expect(expected.lineages.map((l) => l.length)).toEqual([3, 2]);
    fc.assert(
      fc.property(fc.shuffledSubarray(files, { minLength: files.length }), (shuffled) => {
        const report = verifyAudit(readAuditLines(shuffled));
        expect({
          ...report,
          streams: report.streams.map((s) => ({ ...s, files: [...s.files].sort() })),
        }).toEqual({
          ...expected,
          streams: expected.streams.map((s) => ({ ...s, files: [...s.files].sort() })),
        });
      }),
      { numRuns: 25 },
    );
  });
});
