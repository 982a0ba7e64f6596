import { createAuditLog, memorySink } from '@flagstate/audit';
import { StateMachineProvider } from '@flagstate/provider';
import { FlagdCore, MemoryStorage } from '@openfeature/flagd-core';
import { OpenFeature } from '@openfeature/server-sdk';

const SILENT = { error() {}, warn() {}, info() {}, debug() {} };
const contexts = Array.from({ length: 1000 }, (_, i) => ({ targetingKey: `user-${i}` }));
const flag = process.argv[2] ?? 'bound';
const document = {
  flags: {
    bound: { state: 'ENABLED', variants: { legacy: 'L', canary: 'C', v2: 'V' }, defaultVariant: 'canary' },
    free: { state: 'ENABLED', variants: { legacy: 'L', canary: 'C', v2: 'V' }, defaultVariant: 'canary' },
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
await OpenFeature.setProviderAndWait('ours', ours);
const client = OpenFeature.getClient('ours');
for (const c of contexts) await client.getStringValue('bound', 'x', c);
const N = 200_000;
let sink: unknown;
function run(f: (c: object) => unknown) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) sink = f(contexts[i % 1000]!);
  return Number(process.hrtime.bigint() - t) / N;
}
const A: number[] = [],
  B: number[] = [],
  C: number[] = [];
for (let r = 0; r < 40; r++) {
  A.push(run((c) => core.resolveStringEvaluation(flag, 'x', c, SILENT)));
  B.push(run((c) => ours.resolveStringEvaluation(flag, 'x', c, SILENT)));
  C.push(run((c) => ours.resolveStringEvaluation('free', 'x', c, SILENT)));
  await new Promise((r) => setImmediate(r));
}
const med = (x: number[]) => [...x].sort((a, b) => a - b)[x.length >> 1]!;
const min = (x: number[]) => Math.min(...x);
console.log(
  `core med ${med(A).toFixed(0)} min ${min(A).toFixed(0)} | ours(bound) med ${med(B).toFixed(0)} min ${min(B).toFixed(0)} | ours(unbound) med ${med(C).toFixed(0)} min ${min(C).toFixed(0)} | diffs med ${med(B.map((b, i) => b - A[i]!)).toFixed(0)} unbound ${med(C.map((b, i) => b - A[i]!)).toFixed(0)}`,
);
void sink;
