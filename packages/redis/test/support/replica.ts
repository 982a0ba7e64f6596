// One flagstate replica for the near-cache tests: its own provider, RedisStateStore (seen
// through a RecordingStore) and in-memory audit stream, all under one shared key prefix.
import { type AuditRecord, createAuditLog, memorySink } from '@flagstate/audit';
import { memorySource, StateMachineProvider } from '@flagstate/provider';
import { RedisStateStore } from '@flagstate/redis';
import { type EvaluationDetails, OpenFeature } from '@openfeature/server-sdk';
import { MACHINE, phaseDocument, servingDocument } from './phase-documents.js';
import { RecordingStore } from './recording-store.js';
import { GENEROUS_TIMEOUT_MS } from './test-stores.js';

export interface ReplicaOptions {
  readonly url: string;
  readonly keyPrefix: string;
  /** 0: no near-cache. */
  readonly nearCacheMs: number;
  /** Also the OpenFeature domain: unique per test. */
  readonly name: string;
  /** The machine to run; MACHINE (audit mode) unless given. */
  readonly machine?: Record<string, unknown>;
}

export type Replica = Awaited<ReturnType<typeof startReplica>>;

export async function startReplica(options: ReplicaOptions) {
  const { url, keyPrefix, nearCacheMs, name, machine = MACHINE } = options;
  const sink = memorySink();
  const audit = createAuditLog({ sinks: [sink] });
  // 0: no near-cache at all, so that the auditor's rule for a replica without one holds.
  const near = nearCacheMs > 0 ? { nearCacheMs } : { nearCache: 'off' as const };
  const store = new RedisStateStore({ url, keyPrefix, ...near, timeoutMs: GENEROUS_TIMEOUT_MS });
  const recording = new RecordingStore(store);
  const source = memorySource(servingDocument('legacy', machine));
  const provider = new StateMachineProvider({ source, store: recording, audit, labels: ['evaluation'] });
  await OpenFeature.setProviderAndWait(name, provider);
  const client = OpenFeature.getClient(name);
  return {
    name,
    nearCacheMs,
    store,
    recording,
    provider,
    /** Serve `state` to everyone from now on. */
    target: (state: string) => source.update(servingDocument(state, machine)),
    /** Serve the multi-process test's phase `phase` (MACHINE only). */
    phase: (phase: number) => source.update(phaseDocument(phase)),
    evaluate: (subject: string, evaluation = `${name}/${subject}`): Promise<EvaluationDetails<string>> =>
      client.getStringDetails('checkout', 'fallback', { targetingKey: subject, evaluation }),
    records: async (): Promise<AuditRecord[]> => {
      await audit.flush();
      return [...sink.records];
    },
    close: async () => {
      await audit.close();
      await store.close();
    },
  };
}
