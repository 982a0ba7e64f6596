import { type AuditRecord, createAuditLog, memorySink, parseAuditLines, verifyAudit } from '@flagstate/audit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stateChangeDraft } from './support/state-change-draft.js';

const draft = (i: number) =>
  stateChangeDraft({ machine: 'checkout', subject: `user-${i}`, to: 'canary', subjectVersion: 1, at: i });

describe('AuditLog.enqueue', () => {
  it('keeps one verifiable chain in append order, whatever mix of enqueue, append, checkpoints and flushes', async () => {
    // true: enqueue, false: append; 'tick': a turn of the event loop, 'flushSync' a synchronous write.
    const calls = fc.array(fc.oneof(fc.boolean(), fc.constantFrom('tick', 'flushSync')), { maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(calls, fc.integer({ min: 0, max: 7 }), async (steps, checkpointEvery) => {
        const sink = memorySink();
        const log = createAuditLog({ sinks: [sink], checkpointEvery, maxQueue: 4 });
        const seen: AuditRecord[] = [];
        log.subscribe((r) => {
          seen.push(r);
        });
        let i = 0;
        for (const step of steps) {
          if (step === 'tick') await new Promise(setImmediate);
          else if (step === 'flushSync') log.flushSync();
          else if (step) log.enqueue(draft(i++));
          else expect(log.append(draft(i++)).event.hash).toMatch(/^[0-9a-f]{64}$/);
        }
        await log.close();
        const report = verifyAudit(parseAuditLines(sink.lines.join('\n'), 'audit.ndjson'));
        expect(report.ok, JSON.stringify(report.firstBad)).toBe(true);
        const states = sink.records.filter((r) => r.state_change !== undefined);
        expect(states.map((r) => r.state_change!.subject)).toEqual(
          Array.from({ length: i }, (_, k) => `user-${k}`),
        );
        expect(sink.records.map((r) => r.event.sequence)).toEqual(sink.records.map((_, k) => k + 1));
        // Subscribers get each record linked: with its hash, in order.
        expect(seen.map((r) => r.event.hash)).toEqual(sink.records.map((r) => r.event.hash));
      }),
      { numRuns: 150 },
    );
  });

  it('gives the record its sequence at once, and its hash and line when the log next writes', async () => {
    const sink = memorySink();
    const log = createAuditLog({ sinks: [sink] });
    const d = draft(1);
    log.enqueue(d);
    expect(log.stats()).toMatchObject({ sequence: 1, queued: 1, written: 0 });
    expect(d.event.sequence).toBe(1);
    expect(d.event.hash).toBeUndefined();
    await new Promise(setImmediate);
    expect(d.event.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sink.records[0]!.event.hash).toBe(d.event.hash);
    await log.close();
  });

  it('links and writes in batches of maxQueue for a caller that never yields to the event loop', () => {
    const sink = memorySink();
    const log = createAuditLog({ sinks: [sink], maxQueue: 8, checkpointEvery: 0 });
    for (let i = 0; i < 20; i++) log.enqueue(draft(i));
    // Never more than maxQueue unwritten, deferred or queued: the crash-loss bound.
    expect(log.stats().queued).toBeLessThan(8);
    expect(sink.records.length).toBe(16);
    expect(sink.records.length + log.stats().queued).toBe(20);
    log.closeSync();
    const states = sink.records.filter((r) => r.state_change !== undefined);
    expect(states.map((r) => r.state_change!.subject)).toEqual(
      Array.from({ length: 20 }, (_, k) => `user-${k}`),
    );
    expect(verifyAudit(parseAuditLines(sink.lines.join('\n'), 'audit.ndjson')).ok).toBe(true);
  });

  it('has a record on disk when commit() resolves, in strict durability', async () => {
    let synced = 0;
    const sink = { ...memorySink(), sync: () => synced++ };
    const log = createAuditLog({ sinks: [sink], durability: 'strict' });
    log.enqueue(draft(1));
    await log.commit();
    expect(sink.records).toHaveLength(1);
    expect(synced).toBeGreaterThan(0);
    await log.close();
  });

  it('refuses records once the log is closed, as append does', async () => {
    const log = createAuditLog({ sinks: [memorySink()] });
    await log.close();
    expect(() => log.enqueue(draft(1))).toThrow(/closed/);
  });
});
