import { createAuditLog, memorySink } from '@flagstate/audit';
import { StateMachineProvider } from '@flagstate/provider';
import { FlagdCore, MemoryStorage } from '@openfeature/flagd-core';

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
const { machines: _m, ...flagdOnly } = document;
const storage = new MemoryStorage(SILENT);
storage.setConfigurations(JSON.stringify(flagdOnly), true);
const core = new FlagdCore(storage, SILENT);
const ours = new StateMachineProvider({ source: document, audit: createAuditLog({ sinks: [memorySink()] }) });
await ours.initialize();
for (const c of contexts) await ours.resolveStringEvaluation('bound', 'x', c, SILENT);
const N = 300_000;
let sink: unknown;
async function run(name: string, f: (c: object) => unknown) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) sink = await f(contexts[i % 1000]!);
  return Number(process.hrtime.bigint() - t) / N;
}
const mode = process.argv[2] ?? 'both';
for (let r = 0; r < 7; r++) {
  const a =
    mode !== 'ours' ? await run('core', (c) => core.resolveStringEvaluation('bound', 'x', c, SILENT)) : 0;
  const b =
    mode !== 'core' ? await run('ours', (c) => ours.resolveStringEvaluation('bound', 'x', c, SILENT)) : 0;
  console.log(
    `core ${a.toFixed(0)} ns  ours ${b.toFixed(0)} ns  +${(b - a).toFixed(0)} ratio ${(b / a).toFixed(2)}`,
  );
}
void sink;
