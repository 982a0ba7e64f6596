import { createAuditLog, type MemorySink, memorySink } from '@flagstate/audit';
import { StateMachineProvider } from '@flagstate/provider';
import { type Client, OpenFeature } from '@openfeature/server-sdk';

/** A provider over one document, bound to a domain of its own, with its audit kept in memory. */
export interface ProviderSession {
  readonly provider: StateMachineProvider;
  readonly client: Client;
  readonly sink: MemorySink;
  /** Writes every record appended so far to the sink. */
  flush(): Promise<void>;
  /** Flushes and closes the audit log (the provider does not own it). */
  close(): Promise<void>;
}

let sessions = 0;

/** A fresh provider over `document`, ready: a document it cannot load rejects. */
export async function openSession(document: object): Promise<ProviderSession> {
  const sink = memorySink();
  const audit = createAuditLog({ sinks: [sink] });
  const provider = new StateMachineProvider({ source: document, audit });
  const domain = `flagstate-conformance-${process.pid}-${++sessions}`;
  try {
    await OpenFeature.setProviderAndWait(domain, provider);
  } catch (error) {
    await audit.close();
    throw error;
  }
  return {
    provider,
    client: OpenFeature.getClient(domain),
    sink,
    flush: () => audit.flush(),
    close: () => audit.close(),
  };
}
