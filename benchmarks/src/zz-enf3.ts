import { createAuditLog, memorySink } from '@flagstate/audit';
import { StateMachineProvider } from '@flagstate/provider';
import { OpenFeature } from '@openfeature/server-sdk';

const SILENT = { error() {}, warn() {}, info() {}, debug() {} };
const contexts = Array.from({ length: 1000 }, (_, i) => ({ targetingKey: `user-${i}` }));
const document = {
  flags: {
    bound: { state: 'ENABLED', variants: { legacy: 'L', canary: 'C', v2: 'V' }, defaultVariant: 'canary' },
  },
  machines: {
    rollout: {
      version: 1,
      initial: 'legacy',
      flags: ['bound'],
      enforcement: 'enforce',
      states: { legacy: {}, canary: { minDwell: '1h' }, v2: {} },
      transitions: [
        { from: 'legacy', to: 'canary' },
        { from: 'canary', to: 'v2' },
      ],
    },
  },
};
const ours = new StateMachineProvider({ source: document, audit: createAuditLog({ sinks: [memorySink()] }) });
await OpenFeature.setProviderAndWait('ours', ours);
const client = OpenFeature.getClient('ours');
for (const c of contexts) await client.getStringValue('bound', 'x', c);
let sink: unknown;
for (let r = 0; r < 100; r++) {
  for (let i = 0; i < 200_000; i++)
    sink = ours.resolveStringEvaluation('bound', 'x', contexts[i % 1000]!, SILENT);
  await new Promise((r) => setImmediate(r));
}
void sink;
