import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AuditRecord,
  createAuditLog,
  fileSink,
  memorySink,
  readAuditFiles,
  verifyAudit,
} from '@flagstate/audit';
import { FlagDocumentError, type FlagSource, StateMachineProvider } from '@flagstate/provider';
import { checkoutDocument } from '@flagstate/test-kit';
import {
  ErrorCode,
  type EventDetails,
  InMemoryProvider,
  OpenFeature,
  ProviderEvents,
  ProviderFatalError,
  ProviderNotReadyError,
  ProviderStatus,
} from '@openfeature/server-sdk';
import { afterEach, describe, expect, it } from 'vitest';

let n = 0;
const domain = () => `lifecycle-${n++}`;
afterEach(async () => {
  OpenFeature.clearHandlers();
  await OpenFeature.clearProviders();
});

/** Every event the API hands its handlers, in order. */
function apiEvents() {
  const seen: Array<{ type: ProviderEvents; details: EventDetails | undefined }> = [];
  for (const type of [ProviderEvents.Ready, ProviderEvents.Error, ProviderEvents.ConfigurationChanged]) {
    OpenFeature.addHandler(type, (details) => seen.push({ type, details }));
  }
  return seen;
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'flagstate-lifecycle-'));

describe('StateMachineProvider lifecycle (OpenFeature spec 2.4-2.8)', () => {
  it('emits PROVIDER_READY itself before initialize resolves (2.8.2)', async () => {
    const provider = new StateMachineProvider({
      source: checkoutDocument(),
      audit: createAuditLog({ sinks: [memorySink()] }),
    });
    const order: string[] = [];
    provider.events.addHandler(ProviderEvents.Ready, () => order.push('ready event'));
    await provider.initialize().then(() => order.push('initialize resolved'));
    expect(order).toEqual(['ready event', 'initialize resolved']);

    // Through the SDK: the provider's event reaches API handlers before setProviderAndWait
    // resolves. Server SDK 1.23 has no marker for providers that emit their own lifecycle
    // events, so it adds its own READY (spec Appendix E's legacy path).
    const again = new StateMachineProvider({
      source: checkoutDocument(),
      audit: createAuditLog({ sinks: [memorySink()] }),
    });
    const seen = apiEvents();
    const name = domain();
    await OpenFeature.setProviderAndWait(name, again);
    expect(seen[0]).toMatchObject({
      type: ProviderEvents.Ready,
      details: {
        providerName: 'flagstate',
        domain: name,
        message: expect.stringMatching(/^memory: serving revision \w+$/),
      },
    });
    expect(seen.every((e) => e.type === ProviderEvents.Ready)).toBe(true);
    expect(OpenFeature.getClient(name).providerStatus).toBe(ProviderStatus.READY);
  });

  it('is FATAL when the first document is bad and the source can never change', async () => {
    const doc = checkoutDocument();
    doc.machines.checkout.initial = 'nowhere';
    const provider = new StateMachineProvider({
      source: doc,
      audit: createAuditLog({ sinks: [memorySink()] }),
    });
    const errors: EventDetails[] = [];
    provider.events.addHandler(ProviderEvents.Error, (d) => errors.push(d!));
    const name = domain();
    const error = await OpenFeature.setProviderAndWait(name, provider).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderFatalError);
    expect((error as ProviderFatalError).cause).toBeInstanceOf(FlagDocumentError);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ errorCode: ErrorCode.PROVIDER_FATAL });
    expect(errors[0]!.message).toMatch(
      /^memory: invalid flag document \(1 problem\):\n {2}machines\.checkout\.initial: .*\n\(memory cannot change: this provider cannot become ready\)$/,
    );
    const client = OpenFeature.getClient(name);
    expect(client.providerStatus).toBe(ProviderStatus.FATAL);
    const details = await client.getStringDetails('checkout', 'fallback', { targetingKey: 'u' });
    expect(details).toMatchObject({ value: 'fallback', errorCode: ErrorCode.PROVIDER_FATAL });
  });

  it('is a retryable PROVIDER_ERROR when the source can still bring a good document', async () => {
    const doc = checkoutDocument();
    doc.machines.checkout.initial = 'nowhere';
    const { memorySource } = await import('@flagstate/provider');
    const source = memorySource(doc, 'flags.json');
    const provider = new StateMachineProvider({ source, audit: createAuditLog({ sinks: [memorySink()] }) });
    const events: Array<[ProviderEvents, EventDetails | undefined]> = [];
    for (const type of [ProviderEvents.Ready, ProviderEvents.Error])
      provider.events.addHandler(type, (d) => events.push([type, d]));
    const name = domain();
    const error = await OpenFeature.setProviderAndWait(name, provider).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlagDocumentError);
    expect(events).toEqual([
      [ProviderEvents.Error, expect.objectContaining({ errorCode: ErrorCode.PARSE_ERROR })],
    ]);
    expect(OpenFeature.getClient(name).providerStatus).toBe(ProviderStatus.ERROR);
    source.update(checkoutDocument());
    expect(events.at(-1)).toEqual([
      ProviderEvents.Ready,
      expect.objectContaining({ message: expect.stringMatching(/^flags\.json: serving revision \w+$/) }),
    ]);
    expect(OpenFeature.getClient(name).providerStatus).toBe(ProviderStatus.READY);
  });

  it('a closed provider is not initialised; closing twice at once closes once (2.5.2, 2.5.3)', async () => {
    const provider = new StateMachineProvider({ source: checkoutDocument(), durable: { dir: tempDir() } });
    const audit = createAuditLog({ sinks: [memorySink()] });
    const withGiven = new StateMachineProvider({ source: checkoutDocument(), audit });
    for (const p of [provider, withGiven]) await p.initialize();
    await Promise.all([provider.onClose(), provider.onClose(), withGiven.onClose(), withGiven.onClose()]);
    expect(provider.audit.closed).toBe(true);
    expect(provider.document).toBeUndefined();
    const noop = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
    await expect(
      provider.resolveStringEvaluation('checkout', 'x', { targetingKey: 'u' }, noop),
    ).rejects.toThrow(ProviderNotReadyError);
    // A given log is the caller's: flushed, not closed.
    expect(audit.closed).toBe(false);
    await audit.close();
  });

  it('aborts an initialize still loading when closed (2.5.2)', async () => {
    let release!: () => void;
    const loaded = new Promise<void>((r) => {
      release = r;
    });
    const slow: FlagSource = {
      name: 'slow',
      load: async () => {
        await loaded;
        return { document: checkoutDocument() };
      },
    };
    const provider = new StateMachineProvider({
      source: slow,
      audit: createAuditLog({ sinks: [memorySink()] }),
    });
    let ready = 0;
    provider.events.addHandler(ProviderEvents.Ready, () => ready++);
    const starting = provider.initialize().catch((e: unknown) => e);
    await provider.onClose();
    release();
    expect(await starting).toBeInstanceOf(ProviderNotReadyError);
    expect(ready).toBe(0);
    expect(provider.document).toBeUndefined();
  });
});

describe('re-initialising after onClose', () => {
  const want = (client: ReturnType<typeof OpenFeature.getClient>, subject: string, state: string) =>
    client.getStringDetails('checkout', 'fallback', { targetingKey: subject, want: state });

  /** Binds the provider, evaluates, unbinds it (the SDK closes it), and binds it again. */
  async function cycle(provider: StateMachineProvider) {
    const name = domain();
    await OpenFeature.setProviderAndWait(name, provider);
    const client = OpenFeature.getClient(name);
    expect((await want(client, 'u1', 'canary')).value).toBe('new-flow');
    const first = provider.audit;
    await OpenFeature.setProviderAndWait(name, new InMemoryProvider());
    await provider.onClose(); // the SDK does not wait for it
    const closed = await want(client, 'u1', 'canary');
    expect(closed.flagMetadata).toEqual({}); // served by the in-memory provider, not ours
    await OpenFeature.setProviderAndWait(name, provider);
    // Bake time still holds: canary's minDwell of 1h has not passed, so v2 is refused.
    const after = await want(client, 'u1', 'v2');
    expect(after).toMatchObject({
      value: 'new-flow',
      variant: 'canary',
      flagMetadata: { 'flagstate.held': 'min_dwell' },
    });
    expect((await want(client, 'u2', 'canary')).variant).toBe('canary');
    return { first, client };
  }

  it('with durable: the files are reopened, the store rebuilt, one chain across both', async () => {
    const dir = tempDir();
    const provider = new StateMachineProvider({ source: checkoutDocument(), durable: { dir } });
    const { first } = await cycle(provider);
    expect(first.closed).toBe(true);
    expect(provider.audit).not.toBe(first);
    await provider.onClose();
    const records = [...readAuditFiles([join(dir, 'audit.ndjson')])];
    const report = verifyAudit(records);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.lineages).toEqual([[first.streamId, provider.audit.streamId]]);
    const actions = records.map(({ record }) => {
      const r = record as AuditRecord;
      return `${r.event.action}:${r.state_change?.subject ?? ''}`;
    });
    expect(actions).toEqual([
      'state-init:u1',
      'audit-checkpoint:',
      'state-transition-held:u1',
      'state-init:u2',
      'audit-checkpoint:',
    ]);
  });

  it('with a log it was given (a file sink): the log stays open and the one stream continues', async () => {
    const path = join(tempDir(), 'audit.ndjson');
    const audit = createAuditLog({ sinks: [fileSink(path)] });
    const provider = new StateMachineProvider({ source: checkoutDocument(), audit });
    const { first } = await cycle(provider);
    expect(first).toBe(audit);
    await provider.onClose();
    await audit.close();
    const report = verifyAudit(readAuditFiles([path]));
    expect(report).toMatchObject({ ok: true, count: 4, lineages: [[audit.streamId]] });
  });

  it('with its default log: closes it, and opens a new one (a new stream) at the next initialize', async () => {
    const provider = new StateMachineProvider({ source: checkoutDocument() });
    await provider.initialize();
    const first = provider.audit;
    const hook = provider.hook;
    await provider.onClose();
    expect(first.closed).toBe(true);
    await provider.initialize();
    expect(provider.audit).not.toBe(first);
    expect(provider.audit.closed).toBe(false);
    expect(provider.audit.streamId).not.toBe(first.streamId);
    // The hook writes the new log, and is the one the SDK runs.
    expect(provider.hook).not.toBe(hook);
    expect(provider.hook.audit).toBe(provider.audit);
    expect(provider.hooks).toEqual([provider.hook]);
    await provider.onClose();
  });

  it('refuses, FATAL, to start again on a given log the caller closed', async () => {
    const audit = createAuditLog({ sinks: [memorySink()] });
    const provider = new StateMachineProvider({ source: checkoutDocument(), audit });
    await provider.initialize();
    await provider.onClose();
    await audit.close();
    const errors: EventDetails[] = [];
    provider.events.addHandler(ProviderEvents.Error, (d) => errors.push(d!));
    const error = await provider.initialize().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderFatalError);
    expect((error as Error).message).toMatch(
      /^the audit log given in the provider's options \(audit\) is closed/,
    );
    expect(errors).toEqual([expect.objectContaining({ errorCode: ErrorCode.PROVIDER_FATAL })]);
  });

  it('keeps feeding subscribeAudit followers across initialisations', async () => {
    const provider = new StateMachineProvider({ source: checkoutDocument(), durable: { dir: tempDir() } });
    const seen: string[] = [];
    provider.subscribeAudit((r) => {
      seen.push(`${r.audit.stream}:${r.event.action}`);
    });
    const { first } = await cycle(provider);
    await provider.onClose();
    const now = provider.audit.streamId;
    expect(seen.filter((s) => !s.endsWith('audit-checkpoint'))).toEqual([
      `${first.streamId}:state-init`,
      `${now}:state-transition-held`,
      `${now}:state-init`,
    ]);
  });
});
