import { type AuditRecord, type AuditSink, createAuditLog } from '@flagstate/audit';
import { LruStateStore, parseMachines, type StateOutcome, TransitionEngine } from '@flagstate/core';
import { createAuditRecordFactory } from '@flagstate/core/internal';
import { describe, expect, it } from 'vitest';

const machines = parseMachines({
  machines: { m: { version: 1, initial: 'a', flags: ['f'], states: { a: {} }, transitions: [] } },
});

/** One real state-init record, appended again and again (the log gives each its place). */
function draft() {
  const engine = new TransitionEngine({ machines, store: new LruStateStore() });
  const o = engine.observe({ machine: 'm', subject: 'u', state: 'a', at: 1_000 }) as StateOutcome;
  return () => createAuditRecordFactory()(o, { flagKey: 'f', variant: 'a' });
}

/** A sink whose disk is full until `healthy` is set. */
function fullDisk() {
  const lines: string[] = [];
  let healthy = false;
  const write = (chunk: string) => {
    if (!healthy) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    lines.push(...chunk.split('\n').filter((l) => l !== ''));
  };
  const sink: AuditSink = { name: 'full-disk', write, writeSync: write };
  return { sink, lines, heal: () => (healthy = true) };
}

describe('a sink that keeps failing', () => {
  it('holds at most maxBuffered lines over 1,000,000 records, refuses the rest (counted, reported), and never crashes', async () => {
    const disk = fullDisk();
    // A healthy sink beside it, counting what it takes.
    let healthyLines = 0;
    const healthy: AuditSink = {
      name: 'healthy',
      write: (chunk) => {
        healthyLines += chunk.split('\n').length - 1;
      },
      writeSync: (chunk) => {
        healthyLines += chunk.split('\n').length - 1;
      },
    };
    const errors: string[] = [];
    // Unchained: the hash chain is not what is tested here, and 1M hashes would only cost time.
    const log = createAuditLog({ sinks: [disk.sink, healthy], chain: false, maxBuffered: 20_000 });
    log.on('error', (error: Error) => errors.push(error.message));
    const make = draft();
    let maxQueued = 0;
    for (let i = 0; i < 1_000_000; i++) {
      log.append(make());
      if (i % 1000 === 0) {
        maxQueued = Math.max(maxQueued, log.stats().queued);
        // Retry timers and flush ticks run, as they would in a service.
        await new Promise((r) => setImmediate(r));
      }
    }
    const stats = log.stats();
    // The failing sink holds its bound; the healthy one is up to date.
    expect(maxQueued).toBeLessThanOrEqual(20_000 + 1_000);
    expect(stats.refused).toBe(1_000_000 - 20_000);
    expect(errors.filter((e) => e.includes('refused'))).toEqual([
      'audit sink full-disk is failing and holds its maximum of records (maxBuffered): records from 20001 on are refused for it, counted (stats().refused), until it takes records again',
    ]);
    expect(errors.some((e) => e.includes('ENOSPC'))).toBe(true);

    // The disk recovers: what it held is written, then a gap record names what it refused.
    disk.heal();
    await log.close();
    const written = disk.lines.map((l) => JSON.parse(l) as AuditRecord);
    expect(written.slice(0, 20_000).map((r) => r.event.sequence)).toEqual(
      Array.from({ length: 20_000 }, (_, i) => i + 1),
    );
    expect(written).toHaveLength(20_001);
    const gap = written.at(-1)!;
    expect(gap.event.action).toBe('audit-gap');
    expect(gap.audit.gap).toEqual({ from_sequence: 20_001, to_sequence: 1_000_000, missed: 980_000 });
    expect(gap.message).toBe(
      'audit sink full-disk was failing and full: it refused 980000 records (20001..1000000)',
    );
    expect(log.stats().refused).toBe(980_000);
    // The healthy sink's copy is whole.
    expect(healthyLines).toBe(1_000_000);
  }, 120_000);
});
