import { readFileSync } from 'node:fs';
import { auditRecordJsonSchema, auditRecordSchema } from '@flagstate/audit';
import { ACTION_SHAPES } from '@flagstate/audit/internal';
import { LruStateStore, parseMachines, type StateOutcome, TransitionEngine } from '@flagstate/core';
import { createAuditRecordFactory, createPseudonymizer } from '@flagstate/core/internal';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { checkoutDocument } from './fixtures/checkout.js';
import { everyRecordKind } from './fixtures/every-record-kind.js';

describe('audit records', () => {
  it('gives each action the outcome, type and level of the design table, and a message', async () => {
    const { sink, log } = await everyRecordKind();
    await log.close();
    const records = sink.records;
    const actions = new Set(records.map((r) => r.event.action));
    expect([...actions].sort()).toEqual([
      'audit-checkpoint',
      'enforcement-suspended',
      'state-init',
      'state-migration',
      'state-race',
      'state-stale',
      'state-transition',
      'state-transition-held',
      'state-transition-illegal',
    ]);
    const table = Object.fromEntries(
      records.map((r) => [r.event.action, [r.event.outcome, r.event.type[0], r.log.level]]),
    );
    expect(table).toEqual({
      'state-init': ['success', 'creation', 'info'],
      'state-transition': ['success', 'change', 'info'],
      'state-transition-illegal': ['failure', 'change', 'warn'],
      'state-transition-held': ['success', 'denied', 'info'],
      'state-migration': ['success', 'change', 'info'],
      'state-stale': ['unknown', 'info', 'warn'],
      'state-race': ['failure', 'change', 'warn'],
      'audit-checkpoint': ['success', 'info', 'info'],
      'enforcement-suspended': ['failure', 'info', 'warn'],
    });
    const messages = records.filter((r) => r.state_change).map((r) => r.message);
    expect(messages).toContain('checkout: user-42 legacy -> canary after 1s');
    expect(messages).toContain('checkout: user-42 held in canary, wants v2 (min_dwell)');
    expect(messages).toContain('checkout: user-42 canary -> v2 is not allowed (min_dwell)');
    expect(messages).toContain('checkout: user-7 migrated beta -> canary (machine version 3)');
  });

  it('fills the ECS, OpenTelemetry and state fields as DESIGN.md shows them', async () => {
    const { records } = await everyRecordKind();
    const t = records.find((r) => r.event.action === 'state-transition')!;
    expect(t).toMatchObject({
      ecs: { version: '9.4.0' },
      log: { level: 'info' },
      event: {
        kind: 'event',
        category: ['configuration'],
        type: ['change'],
        outcome: 'success',
        reason: 'targeting_match',
        sequence: 2,
        duration: 183_000,
        dataset: 'flagstate.audit',
        provider: 'flagstate',
      },
      data_stream: { type: 'logs', dataset: 'flagstate.audit', namespace: 'default' },
      trace: { id: '4bf92f3577b34da6a3ce929d0e0e4736' },
      span: { id: '00f067aa0ba902b7' },
      service: { name: 'checkout-api' },
      feature_flag: {
        key: 'checkout',
        provider: { name: 'flagstate' },
        result: { variant: 'canary', reason: 'targeting_match' },
        context: { id: 'user-42' },
        set: { id: 'checkout-flags' },
        version: '7',
      },
      state_change: {
        machine: 'checkout',
        machine_version: 3,
        subject: 'user-42',
        from: 'legacy',
        to: 'canary',
        transition: 'start-canary',
        subject_version: 2,
        previous_entered_at: '2026-11-23T10:00:00.000Z',
        entered_at: '2026-11-23T10:00:01.000Z',
        dwell_ms: 1000,
      },
      labels: { region: 'eu-west' },
    });
    expect(Object.keys(t)[0]).toBe('@timestamp');
    expect(t.event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(t.audit.prev_hash).toBe(records[0]!.event.hash);
  });

  it('validates every kind against the zod schema and the generated JSON Schema', async () => {
    const { records, log } = await everyRecordKind();
    const gaps: unknown[] = [];
    const stream = log.stream({ bufferSize: 1 });
    for (let i = 0; i < 3; i++) log.append(structuredClone({ ...records[1]!, audit: undefined }) as never);
    await log.close();
    for await (const r of stream) gaps.push(r);
    const all = [...records, ...gaps];
    expect(all.some((r) => (r as { event: { action: string } }).event.action === 'audit-gap')).toBe(true);
    const shipped = JSON.parse(
      readFileSync(new URL('../../audit/schema/audit-record.schema.json', import.meta.url), 'utf8'),
    );
    expect(shipped).toEqual(auditRecordJsonSchema());
    const validate = new Ajv2020({ strict: false }).compile(shipped);
    for (const record of all) {
      const parsed = auditRecordSchema.safeParse(record);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
    }
    const broken = structuredClone(records[1]!) as unknown as { event: { outcome: string } };
    broken.event.outcome = 'failure';
    expect(auditRecordSchema.safeParse(broken).success).toBe(false);
  });

  it('omits trace fields when no span is active, and never zero-fills them', () => {
    const machines = parseMachines(checkoutDocument);
    const engine = new TransitionEngine({ machines, store: new LruStateStore() });
    const o = engine.observe({ machine: 'checkout', subject: 'u', state: 'legacy', at: 5 }) as StateOutcome;
    const record = createAuditRecordFactory()(o, { flagKey: 'checkout', variant: 'legacy' });
    expect(record).not.toHaveProperty('trace');
    expect(record).not.toHaveProperty('span');
    expect(record).not.toHaveProperty('labels');
    expect(JSON.stringify(record)).not.toMatch(/null|0{16}/);
    // The audit log gives every record its service and data stream.
    expect(record).not.toHaveProperty('service');
    expect(record).not.toHaveProperty('data_stream');
  });

  it('pseudonymizes subjects with HMAC-SHA-256: stable per key, never the raw id', () => {
    const machines = parseMachines(checkoutDocument);
    const engine = new TransitionEngine({ machines, store: new LruStateStore() });
    const o = engine.observe({
      machine: 'checkout',
      subject: 'alice@example.com',
      state: 'legacy',
    }) as StateOutcome;
    const build = createAuditRecordFactory({ pseudonymize: { key: 'pseudonym-key-one-2026' } });
    const facts = { flagKey: 'checkout', context: { targetingKey: 'alice@example.com' } };
    const a = build(o, facts);
    const b = createAuditRecordFactory({ pseudonymize: { key: 'pseudonym-key-one-2026' } })(o, facts);
    const c = createAuditRecordFactory({ pseudonymize: { key: 'pseudonym-key-two-2026' } })(o, facts);
    // HMAC-SHA-256 of "alice@example.com" under that key, computed independently with openssl.
    expect(createPseudonymizer({ key: 'pseudonym-key-one-2026' })('alice@example.com')).toBe(
      'b6eb3e040696eb0e74fe20423c473ec9b0a450665e3ad59bf78f4c5e6facd167',
    );
    expect(a.state_change!.subject).toBe('b6eb3e040696eb0e74fe20423c473ec9b0a450665e3ad59bf78f4c5e6facd167');
    expect(a.state_change!.subject).toMatch(/^[0-9a-f]{64}$/);
    expect(a.feature_flag!.context!.id).toBe(a.state_change!.subject);
    expect(b.state_change!.subject).toBe(a.state_change!.subject);
    expect(c.state_change!.subject).not.toBe(a.state_change!.subject);
    expect(JSON.stringify(a)).not.toContain('alice');
  });

  it('maps flag metadata and the targeting key to feature_flag.* as OpenFeature Appendix D does', () => {
    const machines = parseMachines(checkoutDocument);
    const engine = new TransitionEngine({ machines, store: new LruStateStore() });
    const o = engine.observe({ machine: 'checkout', subject: 'acct-9', state: 'legacy' }) as StateOutcome;
    const build = createAuditRecordFactory();
    // contextId (flag metadata) first, then the targeting key, else no context.id at all.
    const all = build(o, {
      flagKey: 'checkout',
      contextId: 'ctx-1',
      flagSetId: 'payments',
      flagVersion: '7',
      context: { targetingKey: 'user-42' },
    });
    expect(all.feature_flag).toEqual({
      key: 'checkout',
      context: { id: 'ctx-1' },
      set: { id: 'payments' },
      version: '7',
    });
    expect(build(o, { flagKey: 'checkout', context: { targetingKey: 'user-42' } }).feature_flag).toEqual({
      key: 'checkout',
      context: { id: 'user-42' },
    });
    // The subject (here another attribute) is state_change.subject, never a stand-in for context.id.
    const none = build(o, { flagKey: 'checkout', context: { targetingKey: '', account: 'acct-9' } });
    expect(none.feature_flag).toEqual({ key: 'checkout' });
    expect(none.state_change!.subject).toBe('acct-9');
    // Both ids are pseudonymised with the subject.
    const hidden = createAuditRecordFactory({ pseudonymize: { key: 'pseudonym-key-one-2026' } })(o, {
      flagKey: 'checkout',
      contextId: 'ctx-1',
    });
    expect(hidden.feature_flag!.context!.id).toBe(
      createPseudonymizer({ key: 'pseudonym-key-one-2026' })('ctx-1'),
    );
    for (const record of [all, none, hidden]) {
      const parsed = auditRecordSchema.safeParse({
        ...record,
        service: { name: 's' },
        data_stream: { type: 'logs', dataset: 'flagstate.audit', namespace: 'default' },
        event: { ...record.event, sequence: 1 },
        audit: { stream: '0193a0c4-0000-7000-8000-000000000000' },
      });
      expect(parsed.error?.issues).toBeUndefined();
    }
  });

  it('refuses a pseudonymisation key that is not a string or bytes, or shorter than 16 bytes, at construction', () => {
    expect(() => createPseudonymizer({ key: 12345 as never })).toThrow(
      'pseudonymize.key must be a string or a Buffer, got number',
    );
    expect(() => createPseudonymizer({ key: undefined as never })).toThrow('got undefined');
    expect(() => createPseudonymizer({ key: 'k' })).toThrow(
      'pseudonymize.key must be at least 16 bytes, got 1: a short key lets anyone recover subject ids from their pseudonyms',
    );
    expect(() => createPseudonymizer({ key: Buffer.alloc(15) })).toThrow('got 15');
    expect(createPseudonymizer({ key: new Uint8Array(16) })('x')).toMatch(/^[0-9a-f]{64}$/);
    expect(() => createAuditRecordFactory({ pseudonymize: { key: 7 as never } })).toThrow(TypeError);
  });

  it('keeps labels to the allow-list: strings, at most 32, 1 KiB each, no dots in keys', () => {
    const machines = parseMachines(checkoutDocument);
    const engine = new TransitionEngine({ machines, store: new LruStateStore() });
    const o = engine.observe({ machine: 'checkout', subject: 'u', state: 'legacy' }) as StateOutcome;
    const build = createAuditRecordFactory({
      labels: ['region', 'plan', 'user.tier', 'big', 'obj', 'absent'],
    });
    const record = build(o, {
      flagKey: 'checkout',
      context: {
        region: 'eu',
        plan: 3,
        user: { tier: 'gold' },
        big: 'é'.repeat(800),
        obj: { a: 1 },
        secret: 's',
      },
    });
    expect(Object.keys(record.labels!)).toEqual(['region', 'plan', 'user_tier', 'big']);
    expect(record.labels!.plan).toBe('3');
    expect(Buffer.byteLength(record.labels!.big!)).toBe(1024);
    expect(() => createAuditRecordFactory({ labels: Array.from({ length: 33 }, (_, i) => `l${i}`) })).toThrow(
      /at most 32/,
    );
  });

  it('covers every action in the shape table', () => {
    expect(Object.keys(ACTION_SHAPES)).toHaveLength(10);
  });
});
