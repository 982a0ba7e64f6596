import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  type AuditRecord,
  type AuditSink,
  createAuditLog,
  fileSink,
  memorySink,
  readAuditFiles,
  streamSink,
  verifyAudit,
} from '@flagstate/audit';
import { LruStateStore, parseMachines, type StateOutcome, TransitionEngine } from '@flagstate/core';
import { createAuditRecordFactory } from '@flagstate/core/internal';
import { describe, expect, it, vi } from 'vitest';

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

/** n init records for n distinct subjects. */
function drafts(n: number) {
  const engine = new TransitionEngine({ machines, store: new LruStateStore({ maxSubjects: n + 1 }) });
  const build = createAuditRecordFactory();
  return Array.from({ length: n }, (_, i) =>
    build(engine.observe({ machine: 'm', subject: `s${i}`, state: 'a', at: 1_000 + i }) as StateOutcome, {
      flagKey: 'f',
      variant: 'a',
    }),
  );
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'flagstate-audit-'));
const rotatedFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.startsWith('audit.ndjson'))
    .map((f) => join(dir, f));

describe('createAuditLog', () => {
  it('writes 100,000 appends through a rotating file sink, and the chain verifies over every file', async () => {
    const dir = tempDir();
    const log = createAuditLog({ sinks: [fileSink(join(dir, 'audit.ndjson'), { maxBytes: 4_000_000 })] });
    for (const d of drafts(100_000)) log.append(d);
    await log.close();
    const files = rotatedFiles(dir);
    expect(files.length).toBeGreaterThan(5);
    // Batches are split at line ends: no file grows past maxBytes.
    for (const f of files) expect(statSync(f).size).toBeLessThanOrEqual(4_000_000);
    const report = verifyAudit(readAuditFiles(files));
    expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
    const checkpoints = Math.floor(100_000 / 1000) + 1;
    expect(report.count).toBe(100_000 + checkpoints);
    expect(report.streams[0]!.files).toHaveLength(files.length);
  }, 120_000);

  it('writes each line once when a rotation fails part-way through a batch, then succeeds', async () => {
    const dir = tempDir();
    // Retention cannot delete a directory: the first rotation fails after part of the batch.
    mkdirSync(join(dir, 'audit.ndjson.2', 'blocked'), { recursive: true });
    const log = createAuditLog({
      sinks: [fileSink(join(dir, 'audit.ndjson'), { maxBytes: 10_000, maxFiles: 2 })],
      checkpointEvery: 0,
    });
    const errors: unknown[] = [];
    log.on('error', (e) => errors.push(e));
    for (const d of drafts(20)) log.append(d);
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0));
    rmSync(join(dir, 'audit.ndjson.2'), { recursive: true });
    await log.close();
    const report = verifyAudit(readAuditFiles(rotatedFiles(dir)));
    expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
    expect(report.count).toBe(21);
  });

  it('keeps only maxFiles rotated files when asked to', async () => {
    const dir = tempDir();
    const log = createAuditLog({
      sinks: [fileSink(join(dir, 'audit.ndjson'), { maxBytes: 20_000, maxFiles: 2 })],
    });
    for (const d of drafts(500)) {
      log.append(d);
      if (d.state_change!.subject_version === 1) await new Promise((r) => setImmediate(r));
    }
    await log.close();
    expect(
      rotatedFiles(dir)
        .map((f) => f.slice(dir.length + 1))
        .sort(),
    ).toEqual(['audit.ndjson', 'audit.ndjson.1', 'audit.ndjson.2']);
    // What retention kept still verifies, from its oldest record on, when pruning is allowed.
    const kept = readAuditFiles(rotatedFiles(dir));
    expect(verifyAudit(kept).firstBad?.reason).toBe('deleted');
    const report = verifyAudit(kept, { requireStart: false });
    expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
    expect(report.streams[0]!.firstSequence).toBeGreaterThan(1);
    expect(report.streams[0]!.lastSequence).toBe(501);
    // An edit in what was kept is still found.
    const edited = kept.map((e, k) =>
      k === 3 ? { ...e, record: { ...(e.record as AuditRecord), message: 'forged' } } : e,
    );
    expect(verifyAudit(edited, { requireStart: false }).firstBad?.reason).toBe('edited');
  });

  for (const how of ['exit', 'natural']) {
    it(`leaves every record on disk when the process ends without close() (${how})`, () => {
      const path = join(tempDir(), 'audit.ndjson');
      const script = fileURLToPath(new URL('./fixtures/exit-without-close.mjs', import.meta.url));
      execFileSync(process.execPath, [script, path, '2500', how], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
      });
      const report = verifyAudit(readAuditFiles([path]));
      expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
      const lines = readFileSync(path, 'utf8').trim().split('\n');
      expect(lines.filter((l) => l.includes('"state-init"'))).toHaveLength(2500);
      expect(JSON.parse(lines.at(-1)!).audit.checkpoint).toMatchObject({ final: true, count: 2500 + 25 });
    });
  }

  it('gives a subscriber that never reads one gap record, while the file stays complete', async () => {
    const sink = memorySink();
    const path = join(tempDir(), 'audit.ndjson');
    const log = createAuditLog({ sinks: [sink, fileSink(path)], checkpointEvery: 0 });
    const idle = log.stream({ bufferSize: 10 });
    const seen: AuditRecord[] = [];
    log.subscribe((r) => {
      seen.push(r);
    });
    for (const d of drafts(100)) log.append(d);
    await log.close();
    const got: AuditRecord[] = [];
    for await (const r of idle) got.push(r);
    expect(got.slice(0, 10).map((r) => r.event.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const gap = got.find((r) => r.event.action === 'audit-gap')!;
    expect(gap.audit.gap).toEqual({ from_sequence: 11, to_sequence: 101, missed: 91 });
    expect(got).toHaveLength(11);
    expect(sink.records).toHaveLength(101);
    expect(readAuditFiles([path]).map((r) => r.record)).toEqual(sink.records);
    expect(seen).toHaveLength(101);
    expect(log.stats()).toMatchObject({ gaps: 1, missed: 91, written: 202, queued: 0 });
  });

  it('does not retry a failing sink on every append past the bound, and loses nothing', async () => {
    let down = true;
    let attempts = 0;
    const lines: string[] = [];
    const sink: AuditSink = {
      name: 'down',
      write(chunk) {
        attempts++;
        if (down) throw new Error('EACCES: permission denied');
        lines.push(chunk);
      },
      writeSync(chunk) {
        attempts++;
        if (down) throw new Error('EACCES: permission denied');
        lines.push(chunk);
      },
    };
    const log = createAuditLog({ sinks: [sink], checkpointEvery: 0, maxQueue: 10 });
    log.on('error', () => undefined);
    for (const d of drafts(5_000)) log.append(d);
    // Past the bound of 10, each append would try a synchronous write; after a failure they wait
    // for the backoff, so a tight loop of 5,000 appends tries a handful of times at most.
    expect(attempts).toBeLessThan(20);
    expect(log.stats()).toMatchObject({ queued: 5_000, written: 0 });
    down = false;
    await log.close();
    expect(lines.join('').trim().split('\n')).toHaveLength(5_001); // and the closing checkpoint
  });

  it('owns service and namespace, validated, and takes a UUID or a ULID as its stream', async () => {
    const sink = memorySink();
    const log = createAuditLog({ sinks: [sink], service: 'checkout-api', namespace: 'prod' });
    for (const d of drafts(2)) log.append(d);
    await log.close();
    for (const r of sink.records) {
      expect(r.service).toEqual({ name: 'checkout-api' });
      expect(r.data_stream).toEqual({ type: 'logs', dataset: 'flagstate.audit', namespace: 'prod' });
    }
    expect(sink.records.map((r) => r.event.action)).toEqual(['state-init', 'state-init', 'audit-checkpoint']);
    for (const namespace of ['Prod-EU', '_hidden', '..', 'a b', 'x'.repeat(101)]) {
      expect(() => createAuditLog({ sinks: [], namespace })).toThrow(`namespace "${namespace}"`);
    }
    expect(() => createAuditLog({ sinks: [], service: '' })).toThrow('service must not be empty');
    expect(createAuditLog({ sinks: [], stream: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }).streamId).toBe(
      '01ARZ3NDEKTSV4RRFFQ69G5FAV',
    );
    expect(() => createAuditLog({ sinks: [], stream: 'run-1' })).toThrow(
      'stream "run-1" must be a UUID or a ULID',
    );
  });

  it('reports a failing sink, keeps its records queued and writes them once it recovers', async () => {
    let failures = 3;
    const written: string[] = [];
    const flaky: AuditSink = {
      name: 'flaky',
      write(chunk) {
        if (failures-- > 0) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        written.push(chunk);
      },
      writeSync(chunk) {
        written.push(chunk);
      },
    };
    const healthy = memorySink();
    const log = createAuditLog({ sinks: [flaky, healthy], checkpointEvery: 0 });
    const errors: unknown[] = [];
    log.on('error', (e) => errors.push(e));
    for (const d of drafts(20)) log.append(d);
    await vi.waitFor(() => expect(healthy.records).toHaveLength(20)); // the other sink is not held up
    await new Promise((r) => setTimeout(r, 600));
    expect(errors).toHaveLength(3);
    expect(log.stats().sinkErrors).toBe(3);
    await log.close();
    const lines = written.join('').trim().split('\n');
    expect(lines).toHaveLength(21);
    expect(lines.map((l) => JSON.parse(l).event.sequence)).toEqual(
      Array.from({ length: 21 }, (_, i) => i + 1),
    );
  });

  it('close() rejects, rather than hangs, when a sink cannot take its records', async () => {
    const dead = streamSink(new Writable({ write: (_c, _e, cb) => cb(new Error('EPIPE')) }), 'dead');
    const log = createAuditLog({ sinks: [dead], checkpointEvery: 0 });
    log.on('error', () => undefined);
    for (const d of drafts(3)) log.append(d);
    await expect(log.close()).rejects.toThrow(/flush failed/);
    expect(() => log.append(drafts(1)[0]!)).toThrow(/closed/);
  });

  it('falls back to synchronous hand-over when a slow sink queue is full, and loses nothing', async () => {
    const slow = new PassThrough({ highWaterMark: 16 });
    const received: Buffer[] = [];
    const log = createAuditLog({ sinks: [streamSink(slow)], checkpointEvery: 0, maxQueue: 10 });
    for (const d of drafts(500)) log.append(d);
    // Nothing was read yet, so the queue overflowed many times and was handed to the stream.
    expect(log.stats().queued).toBeLessThan(10);
    slow.on('data', (c: Buffer) => received.push(c));
    await log.close();
    const lines = Buffer.concat(received).toString().trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).event.sequence)).toEqual(
      Array.from({ length: 501 }, (_, i) => i + 1),
    );
  });

  it('writes nothing chained when the chain is off, and no checkpoints', async () => {
    const sink = memorySink();
    const log = createAuditLog({ sinks: [sink], chain: false });
    for (const d of drafts(5)) log.append(d);
    await log.close();
    expect(sink.records).toHaveLength(5);
    expect(sink.records.every((r) => r.event.hash === undefined && r.audit.prev_hash === undefined)).toBe(
      true,
    );
  });
});
