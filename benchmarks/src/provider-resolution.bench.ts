// Provider resolution: our provider's resolve* called directly against flagd-core's own
// resolve* on the same document, and full evaluations through the SDK against OpenFeature's
// InMemoryProvider. Static, fractional, and machine-bound enforce (steady) flags, static and
// fractional, with the heap each call allocates.
import { createAuditLog, memorySink } from '@flagstate/audit';
import { StateMachineProvider } from '@flagstate/provider';
import { FlagdCore, MemoryStorage } from '@openfeature/flagd-core';
import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { bench, do_not_optimize } from 'mitata';
import { headline } from './headline.js';
import { heapPerCall } from './heap-per-call.js';
import { measure, median, type Row, roundRatios, spread, table } from './report.js';

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
    boundFractional: {
      state: 'ENABLED',
      variants: { legacy: 'L', canary: 'C', v2: 'V' },
      defaultVariant: 'legacy',
      targeting: {
        fractional: [
          ['legacy', 50],
          ['canary', 30],
          ['v2', 20],
        ],
      },
    },
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
    // Every subject starts where targeting puts it, and stays there.
    split: {
      version: 1,
      initial: 'legacy',
      flags: ['boundFractional'],
      enforcement: 'enforce',
      states: { legacy: {}, canary: {}, v2: {} },
      transitions: [
        { from: 'legacy', to: 'canary' },
        { from: 'legacy', to: 'v2' },
      ],
    },
  },
};

/** What enforcement adds to flagd-core's own resolution, both awaited: the median of each round's difference. */
function addedNs(rows: readonly Row[], base: string, ours: string): number {
  const find = (name: string) => rows.find((r) => r.name === name)!;
  const b = find(base);
  return median(find(ours).rounds.map((ns, r) => ns - b.rounds[r]!));
}

function added(rows: readonly Row[], base: string, ours: string): string {
  return `Enforcement adds ${addedNs(rows, base, ours).toFixed(0)} ns to flagd-core's resolution (${ours} − ${base}, the median of each round's difference).`;
}

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
  for (const ctx of contexts) {
    // Every subject steady: in canary, and where the split puts it.
    await oursClient.getStringValue('bound', 'x', ctx);
    await oursClient.getStringValue('boundFractional', 'x', ctx);
  }

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
  const heap: string[] = [];
  for (const [flag, kind] of [
    ['bound', 'static'],
    ['boundFractional', 'fractional'],
  ] as const) {
    const boundBase = `flagd-core resolveStringEvaluation (${flag}, no machine)`;
    const awaitedBase = `flagd-core, awaited (${flag}, no machine)`;
    const enforced = `StateMachineProvider, enforce steady, awaited (${flag})`;
    const bound = await measure(() => {
      bench(boundBase, () => do_not_optimize(core.resolveStringEvaluation(flag, 'x', ctx(), SILENT)));
      // The provider's resolve* are async, as the Provider interface asks: this is the row to
      // take enforcement's own cost against.
      bench(awaitedBase, async () =>
        do_not_optimize(await core.resolveStringEvaluation(flag, 'x', ctx(), SILENT)),
      );
      bench(enforced, async () =>
        do_not_optimize(await ours.resolveStringEvaluation(flag, 'x', ctx(), SILENT)),
      );
    }, awaitedBase);
    const enforcedRow = bound.find((r) => r.name === enforced)!;
    const baseRow = bound.find((r) => r.name === awaitedBase)!;
    const goal = kind === 'static' ? 1.4 : 1.15;
    const adds = addedNs(bound, awaitedBase, enforced);
    headline({
      row: `provider, enforce steady, called directly, both awaited (${kind} flag)`,
      measured: `${enforcedRow.ratio.toFixed(2)}× flagd-core (${spread(roundRatios(enforcedRow, baseRow), 2)}); enforcement adds ${adds.toFixed(0)} ns`,
      goal: `≤ ${goal}× flagd-core; enforcement adds ≤ 50 ns`,
      met: enforcedRow.ratio <= goal && adds <= 50,
    });
    sections.push(
      [
        table(
          `Provider resolve called directly: machine-bound ${kind} flag, enforce, steady`,
          bound,
          awaitedBase,
        ),
        '',
        added(bound, awaitedBase, enforced),
      ].join('\n'),
    );
    const bytes = async (fn: () => unknown) => (await heapPerCall(fn)).toFixed(0);
    heap.push(
      `| ${kind} | ${await bytes(() => core.resolveStringEvaluation(flag, 'x', ctx(), SILENT))} | ${await bytes(async () => await core.resolveStringEvaluation(flag, 'x', ctx(), SILENT))} | ${await bytes(() => ours.resolveStringEvaluation(flag, 'x', ctx(), SILENT))} |`,
    );
  }
  sections.push(
    [
      '### Heap allocated per call (enforce steady)',
      '',
      'Bytes per call, each call awaited: the median over 21 windows of 500 calls, each window starting after a full collection. flagd-core builds its context copy and its resolution; an `async` function adds its promise.',
      '',
      '| bound flag | flagd-core resolve (sync) | flagd-core, awaited in an async function | StateMachineProvider resolve, enforce steady |',
      '|---|---:|---:|---:|',
      ...heap,
    ].join('\n'),
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
