// Provider resolution: our provider's resolve* called directly against flagd-core's own
// resolve* on the same document, and full evaluations through the SDK against OpenFeature's
// InMemoryProvider. Static, fractional, and machine-bound enforce (steady) flags.
import { createAuditLog, memorySink } from '@flagstate/audit';
import { StateMachineProvider } from '@flagstate/provider';
import { FlagdCore, MemoryStorage } from '@openfeature/flagd-core';
import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { bench, do_not_optimize } from 'mitata';
import { measure, table } from './report.js';

const SILENT = { error() {}, warn() {}, info() {}, debug() {} };
const SUBJECTS = Array.from({ length: 1_000 }, (_, i) => `user-${i}`);
const contexts = SUBJECTS.map((s) => ({ targetingKey: s }));
const document = {
  flags: {
    static: { state: 'ENABLED', variants: { on: 'on-value', off: 'off-value' }, defaultVariant: 'on' },
    fractional: {
      state: 'ENABLED',
      variants: { a: 'A', b: 'B', c: 'C' },
      defaultVariant: 'a',
      targeting: {
        fractional: [
          ['a', 50],
          ['b', 30],
          ['c', 20],
        ],
      },
    },
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

export async function providerResolution(): Promise<string> {
  const { machines: _m, ...flagdOnly } = document;
  const storage = new MemoryStorage(SILENT);
  storage.setConfigurations(JSON.stringify(flagdOnly), true);
  const core = new FlagdCore(storage, SILENT);
  const ours = new StateMachineProvider({
    source: document,
    audit: createAuditLog({ sinks: [memorySink()] }),
  });
  await OpenFeature.setProviderAndWait('ours', ours);
  const inMemory = new InMemoryProvider({
    static: { variants: { on: 'on-value', off: 'off-value' }, defaultVariant: 'on', disabled: false },
  } as never);
  await OpenFeature.setProviderAndWait('in-memory', inMemory);
  const oursClient = OpenFeature.getClient('ours');
  const memClient = OpenFeature.getClient('in-memory');
  for (const ctx of contexts) await oursClient.getStringValue('bound', 'x', ctx); // every subject steady in canary

  let i = 0;
  const ctx = () => {
    i = (i + 1) % contexts.length;
    return contexts[i]!;
  };
  const sections: string[] = [];
  for (const flag of ['static', 'fractional'] as const) {
    const baseline = `flagd-core resolveStringEvaluation (${flag})`;
    const rows = await measure(() => {
      bench(baseline, () => do_not_optimize(core.resolveStringEvaluation(flag, 'x', ctx(), SILENT)));
      bench(`flagd-core, awaited (${flag})`, async () =>
        do_not_optimize(await core.resolveStringEvaluation(flag, 'x', ctx(), SILENT)),
      );
      bench(`StateMachineProvider.resolveStringEvaluation, awaited (${flag})`, async () =>
        do_not_optimize(await ours.resolveStringEvaluation(flag, 'x', ctx(), SILENT)),
      );
    }, baseline);
    sections.push(table(`Provider resolve called directly: ${flag} flag (unbound)`, rows, baseline));
  }
  const boundBase = 'flagd-core resolveStringEvaluation (bound flag, no machine)';
  const bound = await measure(() => {
    bench(boundBase, () => do_not_optimize(core.resolveStringEvaluation('bound', 'x', ctx(), SILENT)));
    // The provider's resolve* are async, as the Provider interface asks: this is the row to
    // take enforcement's own cost against.
    bench('flagd-core, awaited (bound flag, no machine)', async () =>
      do_not_optimize(await core.resolveStringEvaluation('bound', 'x', ctx(), SILENT)),
    );
    bench('StateMachineProvider, enforce steady, awaited', async () =>
      do_not_optimize(await ours.resolveStringEvaluation('bound', 'x', ctx(), SILENT)),
    );
  }, boundBase);
  sections.push(
    table('Provider resolve called directly: machine-bound flag, enforce, steady', bound, boundBase),
  );

  const sdkBase = 'InMemoryProvider, static flag, full evaluation';
  const sdk = await measure(() => {
    bench(sdkBase, () => memClient.getStringValue('static', 'x', ctx()));
    bench('StateMachineProvider, static flag, full evaluation', () =>
      oursClient.getStringValue('static', 'x', ctx()),
    );
    bench('StateMachineProvider, fractional flag, full evaluation', () =>
      oursClient.getStringValue('fractional', 'x', ctx()),
    );
    bench('StateMachineProvider, enforce steady (hook included), full evaluation', () =>
      oursClient.getStringValue('bound', 'x', ctx()),
    );
  }, sdkBase);
  sections.push(table('Full evaluations through the server SDK (no OTel SDK registered)', sdk, sdkBase));
  await OpenFeature.close();
  return sections.join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await providerResolution());
  process.exit(0);
}
