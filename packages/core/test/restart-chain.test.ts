import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditRecord, createAuditLog, fileSink, readAuditFiles, verifyAudit } from '@flagstate/audit';
import { LruStateStore, parseMachines, type StateOutcome, TransitionEngine } from '@flagstate/core';
import { createAuditRecordFactory } from '@flagstate/core/internal';
import { describe, expect, it } from 'vitest';

const machines = parseMachines({
  machines: {
    m: {
      version: 1,
      initial: 'a',
      flags: ['f'],
      states: { a: {}, b: {} },
      transitions: [{ from: 'a', to: 'b' }],
    },
  },
});

function drafts(n: number, prefix: string) {
  const engine = new TransitionEngine({ machines, store: new LruStateStore() });
  const build = createAuditRecordFactory();
  return Array.from({ length: n }, (_, i) =>
    build(
      engine.observe({ machine: 'm', subject: `${prefix}${i}`, state: 'a', at: 1_000 + i }) as StateOutcome,
      {
        flagKey: 'f',
        variant: 'a',
      },
    ),
  );
}

const lines = (path: string): AuditRecord[] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditRecord);

async function lifetime(path: string, n: number, prefix: string) {
  const log = createAuditLog({ sinks: [fileSink(path)], checkpointEvery: 10 });
  for (const d of drafts(n, prefix)) log.append(d);
  await log.close();
  return log;
}

/** What a crash leaves: the file as it was after a flush, with the log never closed. */
async function crashed(path: string, n: number, prefix: string) {
  const scratch = `${path}.scratch`;
  const log = createAuditLog({ sinks: [fileSink(scratch)], checkpointEvery: 10 });
  for (const d of drafts(n, prefix)) log.append(d);
  await log.flush();
  copyFileSync(scratch, path);
  await log.close();
  return log;
}

describe('audit streams across process lifetimes', () => {
  it('links a restart after a clean close: record 1 names the closing checkpoint', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'flagstate-restart-')), 'audit.ndjson');
    const first = await lifetime(path, 25, 'x');
    const closing = lines(path).at(-1)!;
    expect(closing.audit.checkpoint?.final).toBe(true);
    const second = await lifetime(path, 5, 'y');
    const records = lines(path);
    const start = records.find((r) => r.audit.stream === second.streamId)!;
    expect(start.event.sequence).toBe(1);
    expect(start.audit.previous).toEqual({
      stream: first.streamId,
      sequence: closing.event.sequence,
      hash: closing.event.hash,
    });
    expect(second.previous).toEqual(start.audit.previous);
    expect(records.filter((r) => r.audit.checkpoint?.sealed)).toHaveLength(0);
    const report = verifyAudit(readAuditFiles([path]));
    expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
  });

  it('seals a stream that ended in a crash at its last good record, in its own chain', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'flagstate-restart-')), 'audit.ndjson');
    const first = await crashed(path, 25, 'x');
    const before = lines(path);
    const last = before.at(-1)!;
    expect(last.audit.checkpoint?.final).not.toBe(true);
    const second = await lifetime(path, 5, 'y');
    const records = lines(path);
    const seal = records[before.length]!;
    expect(seal.audit.stream).toBe(first.streamId);
    expect(seal.event.action).toBe('audit-checkpoint');
    expect(seal.event.sequence).toBe(last.event.sequence! + 1);
    expect(seal.audit.prev_hash).toBe(last.event.hash);
    expect(seal.audit.checkpoint).toMatchObject({
      count: last.event.sequence,
      head: last.event.hash,
      final: true,
      sealed: { by: second.streamId, torn_bytes: 0, file: path },
    });
    expect(seal.message).toContain(`last good record ${last.event.sequence}`);
    expect(records[before.length + 1]!.audit.previous).toEqual({
      stream: first.streamId,
      sequence: seal.event.sequence,
      hash: seal.event.hash,
    });
    // No --allow-open: the crashed stream is closed by its seal.
    const report = verifyAudit(readAuditFiles([path]));
    expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
    expect(report.streams.every((s) => s.closed)).toBe(true);
  });

  it('cuts a torn last line away and records the repair, never gluing the next record to it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'flagstate-restart-')), 'audit.ndjson');
    await crashed(path, 12, 'x');
    const intact = statSync(path).size;
    const fragment = '{"@timestamp":"2026-12-01T00:00:00.000Z","ecs":{"vers';
    appendFileSync(path, fragment);
    await lifetime(path, 3, 'y');
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(fragment);
    const records = lines(path);
    const seal = records.find((r) => r.audit.checkpoint?.sealed)!;
    expect(seal.audit.checkpoint?.sealed?.torn_bytes).toBe(Buffer.byteLength(fragment));
    expect(seal.message).toContain(`torn last line of ${Buffer.byteLength(fragment)} bytes cut away`);
    expect(readFileSync(path).subarray(0, intact).toString()).toBe(text.slice(0, intact));
    const report = verifyAudit(readAuditFiles([path]));
    expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
  });

  it('continues the chain from the newest rotated file when the current one is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagstate-restart-'));
    const path = join(dir, 'audit.ndjson');
    const first = await lifetime(path, 20, 'x');
    copyFileSync(path, `${path}.1`);
    writeFileSync(path, '');
    const second = await lifetime(path, 2, 'y');
    expect(second.previous?.stream).toBe(first.streamId);
    const report = verifyAudit(readAuditFiles([`${path}.1`, path]));
    expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
  });

  it('starts a new chain, with a warning, when the file ends in a line that is no audit record', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'flagstate-restart-')), 'audit.ndjson');
    writeFileSync(path, 'not json at all\n');
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const log = await lifetime(path, 2, 'y');
      await new Promise((r) => setImmediate(r));
      expect(log.previous).toBeUndefined();
      expect(
        warnings.some((w) =>
          w.includes(`${path}: cannot continue its audit stream: its last line is not JSON`),
        ),
      ).toBe(true);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('writes nothing for a stream with no records', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'flagstate-restart-')), 'audit.ndjson');
    await lifetime(path, 3, 'x');
    const size = statSync(path).size;
    const empty = createAuditLog({ sinks: [fileSink(path)] });
    await empty.close();
    expect(statSync(path).size).toBe(size);
  });
});
