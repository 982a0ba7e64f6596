// One replica of the multi-process test, run as `node --import tsx evaluation-worker.ts <json>`:
// its own RedisStateStore, StateMachineProvider (audit mode, hook registered) and audit file.
// The parent drives it over IPC: { type: 'phase', phase } evaluates every subject once with
// that phase's document; { type: 'close' } closes everything and reports the hook's stats.
import { createAuditLog, fileSink } from '@flagstate/core';
import { MemoryFlagSource, StateMachineProvider } from '@flagstate/provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { RedisStateStore } from '../../src/index.js';
import { phaseDocument } from './phase-documents.js';

export interface WorkerArgs {
  readonly url: string;
  readonly keyPrefix: string;
  readonly file: string;
  readonly worker: number;
  readonly subjects: number;
  readonly batch: number;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; phase: number; fallbacks: number; evaluations: number }
  | { type: 'closed'; failures: number; observed: number };

const args = JSON.parse(process.argv[2]!) as WorkerArgs;
const send = (message: WorkerMessage) => process.send!(message);

const store = new RedisStateStore({ url: args.url, keyPrefix: args.keyPrefix, timeoutMs: 5_000 });
const audit = createAuditLog({
  sinks: [fileSink(args.file)],
  checkpointEvery: 1_000,
  service: `worker-${args.worker}`,
});
const source = new MemoryFlagSource(phaseDocument(0));
const provider = new StateMachineProvider({
  source,
  store,
  audit,
  labels: ['evaluation'],
});
const domain = `worker-${args.worker}`;
await OpenFeature.setProviderAndWait(domain, provider);
const client = OpenFeature.getClient(domain);
const subjects = Array.from({ length: args.subjects }, (_, i) => `subject-${i}`);

async function runPhase(phase: number): Promise<void> {
  if (phase > 0) source.update(phaseDocument(phase));
  let fallbacks = 0;
  for (let i = 0; i < subjects.length; i += args.batch) {
    await Promise.all(
      subjects.slice(i, i + args.batch).map(async (subject) => {
        const d = await client.getStringDetails('checkout', 'fallback', {
          targetingKey: subject,
          // Copied into the records' labels, so the parent can tell which records one evaluation made.
          evaluation: `${args.worker}/${phase}/${subject}`,
        });
        if (d.value === 'fallback' || d.errorCode !== undefined) fallbacks++;
      }),
    );
  }
  send({ type: 'done', phase, fallbacks, evaluations: subjects.length });
}

async function close(): Promise<void> {
  await OpenFeature.close();
  await audit.close();
  await store.close();
  const { failures, observed } = provider.hook.stats();
  process.send!({ type: 'closed', failures, observed } satisfies WorkerMessage, () => process.exit(0));
}

process.on('message', (message: { type: string; phase?: number }) => {
  const task = message.type === 'phase' ? runPhase(message.phase ?? 0) : close();
  task.catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
// The parent is gone (it failed or was killed): do not linger.
process.on('disconnect', () => process.exit(1));
send({ type: 'ready' });
