// The fault test's two flagstates on one Redis, each with its own keys: one in audit mode
// (its records are checked), one in enforce mode (it must keep serving, marked). Every
// evaluation asks both for the same subject, and is timed.
import { type AuditRecord, createAuditLog, memorySink } from '@flagstate/audit';
import { memorySource, StateMachineProvider } from '@flagstate/provider';
import { RedisStateStore } from '@flagstate/redis';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { MACHINE, phaseDocument } from './phase-documents.js';

export interface Evaluation {
  readonly phase: string;
  readonly ms: number;
  readonly value: string;
  readonly errorCode: string | undefined;
  /** `flagstate.held`, enforce mode only. */
  readonly held: unknown;
}

export async function twinFlagstates(url: string, keyPrefix: string, timeoutMs: number) {
  const silent = { error() {}, warn() {}, info() {}, debug() {} };
  const sink = memorySink();
  const audit = createAuditLog({ sinks: [sink] });
  const store = new RedisStateStore({ url, keyPrefix, timeoutMs });
  const source = memorySource(phaseDocument(1));
  const provider = new StateMachineProvider({ source, store, audit, logger: silent });
  const enforceStore = new RedisStateStore({ url, keyPrefix: `${keyPrefix}enforce:`, timeoutMs });
  const enforcerSink = memorySink();
  const enforcerAudit = createAuditLog({ sinks: [enforcerSink] });
  const enforcer = new StateMachineProvider({
    source: { ...phaseDocument(3), machines: { checkout: { ...MACHINE, enforcement: 'enforce' } } },
    store: enforceStore,
    audit: enforcerAudit,
    logger: silent,
    suspensionWindowMs: 200,
  });
  const enforcerEvents: string[] = [];
  await OpenFeature.setProviderAndWait('fault-audit', provider);
  await OpenFeature.setProviderAndWait('fault-enforce', enforcer);
  // Registered once ready: the events of the outage, not of initialisation.
  for (const event of [ProviderEvents.Stale, ProviderEvents.Ready, ProviderEvents.Error]) {
    enforcer.events.addHandler(event, () => enforcerEvents.push(event));
  }
  const client = OpenFeature.getClient('fault-audit');
  const enforcing = OpenFeature.getClient('fault-enforce');
  const evaluations: Evaluation[] = [];
  let n = 0;

  return {
    store,
    enforceStore,
    source,
    provider,
    enforcer,
    enforcerEvents,
    evaluations,
    /** The enforcing replica's records. */
    enforcerRecords: async (): Promise<AuditRecord[]> => {
      await enforcerAudit.flush();
      return [...enforcerSink.records];
    },
    /** 10 subjects of `${phase}-0` … `${phase}-49` at once, each evaluated by both. */
    batch: (phase: string) =>
      Promise.all(
        Array.from({ length: 10 }, async () => {
          const subject = `${phase}-${n++ % 50}`;
          const started = performance.now();
          const [d, e] = await Promise.all([
            client.getStringDetails('checkout', 'fallback', { targetingKey: subject }),
            enforcing.getStringDetails('checkout', 'fallback', { targetingKey: subject }),
          ]);
          const ms = performance.now() - started;
          evaluations.push({ phase, ms, value: d.value, errorCode: d.errorCode, held: undefined });
          const held = e.flagMetadata['flagstate.held'];
          evaluations.push({ phase, ms, value: e.value, errorCode: e.errorCode, held });
        }),
      ),
    records: async (): Promise<AuditRecord[]> => {
      await audit.flush();
      return [...sink.records];
    },
    close: async () => {
      await OpenFeature.clearProviders();
      await audit.close();
      await store.close();
      await enforceStore.close();
    },
  };
}
