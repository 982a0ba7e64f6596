import { createAuditLog, memorySink, verifyAudit } from '@flagstate/audit';
import { memorySource, StateMachineProvider } from '@flagstate/provider';
import { checkoutDocument } from '@flagstate/test-kit';
import { InMemoryProvider, OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it } from 'vitest';

let n = 0;
afterEach(async () => {
  await OpenFeature.clearProviders();
});

const want = (client: ReturnType<typeof OpenFeature.getClient>, subject: string, state: string) =>
  client.getStringDetails('checkout', 'fallback', { targetingKey: subject, want: state });

describe('StateMachineProvider and domains', () => {
  it('one instance bound to two domains is one rollout: initialised once, one store, one audit stream', async () => {
    const sink = memorySink();
    const source = memorySource(checkoutDocument());
    const provider = new StateMachineProvider({ source, audit: createAuditLog({ sinks: [sink] }) });
    const inits: Array<string | undefined> = [];
    const initialize = provider.initialize.bind(provider);
    provider.initialize = (context, domain) => {
      inits.push(domain);
      return initialize(context, domain);
    };
    const [a, b] = [`domains-a-${n}`, `domains-b-${n++}`];
    await OpenFeature.setProviderAndWait(a, provider);
    await OpenFeature.setProviderAndWait(b, provider);
    expect(inits).toEqual([a]); // spec 2.4.1: initialised once, with the first domain
    const [ca, cb] = [OpenFeature.getClient(a), OpenFeature.getClient(b)];
    // u1 enters canary through domain a; domain b sees it there (bake time: v2 is held).
    expect((await want(ca, 'u1', 'canary')).variant).toBe('canary');
    expect(await want(cb, 'u1', 'v2')).toMatchObject({
      variant: 'canary',
      flagMetadata: { 'flagstate.held': 'min_dwell' },
    });

    // The provider's events reach the clients of both domains.
    const changed: string[] = [];
    ca.addHandler(ProviderEvents.ConfigurationChanged, () => changed.push('a'));
    cb.addHandler(ProviderEvents.ConfigurationChanged, () => changed.push('b'));
    const doc = checkoutDocument();
    doc.flags.unbound.defaultVariant = 'b';
    source.update(doc);
    expect(changed.sort()).toEqual(['a', 'b']);

    // Unbinding one domain leaves the instance open for the other.
    await OpenFeature.setProviderAndWait(a, new InMemoryProvider());
    expect((await want(cb, 'u2', 'canary')).variant).toBe('canary');
    expect(provider.audit.closed).toBe(false);
    await OpenFeature.setProviderAndWait(a, provider);

    // OpenFeature.close() closes each binding, so onClose runs twice at once: one close.
    await OpenFeature.close();
    // The log is the caller's: onClose flushed it; closing it is the caller's to do.
    expect(provider.audit.closed).toBe(false);
    expect(sink.records.map((r) => r.event.action)).toEqual([
      'state-init',
      'state-transition-held',
      'state-init',
    ]);
    await provider.audit.close();
    const report = verifyAudit(sink.records);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, count: 4 });
  });

  it('two instances in two domains keep apart: their own store and audit stream', async () => {
    const sinks = [memorySink(), memorySink()];
    const providers = sinks.map(
      (sink) =>
        new StateMachineProvider({ source: checkoutDocument(), audit: createAuditLog({ sinks: [sink] }) }),
    );
    const names = [`domains-c-${n}`, `domains-d-${n++}`];
    for (const [i, p] of providers.entries()) await OpenFeature.setProviderAndWait(names[i]!, p);
    const [cc, cd] = names.map((name) => OpenFeature.getClient(name));
    expect((await want(cc!, 'u1', 'canary')).variant).toBe('canary');
    // Unknown to the other instance: a new subject, served what targeting wants where reachable.
    expect((await want(cd!, 'u1', 'legacy')).variant).toBe('legacy');
    await OpenFeature.close();
    expect(sinks.map((s) => s.records.filter((r) => r.event.action !== 'audit-checkpoint').length)).toEqual([
      1, 1,
    ]);
    expect(sinks[0]!.records[0]!.audit.stream).not.toBe(sinks[1]!.records[0]!.audit.stream);
  });
});
