// One replica of the multi-process test, run as `node --import tsx evaluation-worker.ts <json>`:
// its own RedisStateStore, StateMachineProvider (audit mode, hook registered) and audit file.
// The parent drives every worker through the same batches of subjects in lockstep, so that
// they evaluate each subject at the same moment: { type: 'batch' } loads phase `phase`'s
// document if `reload` is set, then evaluates subjects [from, to) at once; { type: 'close' }
// closes everything and reports the hook's stats.
import { createAuditLog, fileSink } from '@flagstate/audit';
import { memorySource, StateMachineProvider } from '@flagstate/provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { RedisStateStore } from '../../src/index.js';
import { phaseDocument } from './phase-documents.js';

export interface WorkerArgs {
  /** A standalone Redis; or `cluster`'s nodes. */
  readonly url?: string;
  readonly cluster?: ReadonlyArray<{ host: string; port: number }>;
  readonly keyPrefix: string;
  readonly file: string;
  readonly worker: number;
}

export interface BatchMessage {
  readonly type: 'batch';
  readonly phase: number;
  /** Load phase `phase`'s document before this batch. */
  readonly reload: boolean;
  readonly from: number;
  readonly to: number;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; fallbacks: number; evaluations: number }
  | { type: 'closed'; failures: number; observed: number; nearCacheActive: boolean };

const args = JSON.parse(process.argv[2]!) as WorkerArgs;
const send = (message: WorkerMessage) => process.send!(message);

const { keyPrefix } = args;
const store =
  args.cluster === undefined
    ? new RedisStateStore({ url: args.url!, keyPrefix, timeoutMs: 5_000 }) // the tracking near-cache
    : new RedisStateStore({ cluster: args.cluster, keyPrefix, timeoutMs: 5_000 }); // tracking on every master
const audit = createAuditLog({
  sinks: [fileSink(args.file)],
  checkpointEvery: 1_000,
  service: `worker-${args.worker}`,
});
const source = memorySource(phaseDocument(0));
const provider = new StateMachineProvider({
  source,
  store,
  audit,
  labels: ['evaluation'],
});
const domain = `worker-${args.worker}`;
await OpenFeature.setProviderAndWait(domain, provider);
const client = OpenFeature.getClient(domain);

async function runBatch({ phase, reload, from, to }: BatchMessage): Promise<void> {
  if (reload) source.update(phaseDocument(phase));
  let fallbacks = 0;
  await Promise.all(
    Array.from({ length: to - from }, async (_, i) => {
      const subject = `subject-${from + i}`;
      const d = await client.getStringDetails('checkout', 'fallback', {
        targetingKey: subject,
        // Copied into the records' labels, so the parent can tell which records one evaluation made.
        evaluation: `${args.worker}/${phase}/${subject}`,
      });
      if (d.value === 'fallback' || d.errorCode !== undefined) fallbacks++;
    }),
  );
  send({ type: 'done', fallbacks, evaluations: to - from });
}

async function close(): Promise<void> {
  const { nearCacheActive } = store;
  await OpenFeature.close();
  await audit.close();
  await store.close();
  const { failures, observed } = provider.hook.stats();
  process.send!({ type: 'closed', failures, observed, nearCacheActive } satisfies WorkerMessage, () =>
    process.exit(0),
  );
}

process.on('message', (message: BatchMessage | { type: 'close' }) => {
  const task = message.type === 'batch' ? runBatch(message) : close();
  task.catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
// The parent is gone (it failed or was killed): do not linger.
process.on('disconnect', () => process.exit(1));
send({ type: 'ready' });
