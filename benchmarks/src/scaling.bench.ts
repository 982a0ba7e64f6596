// Scaling: the cost of one steady evaluation at 10k, 100k and 1M subjects (the hook's engine
// on an evicting LruStateStore, and the provider enforcing on its default refusing one), each
// against its baseline at the same size in the same run, and how long a start takes to rebuild
// the durable store from the audit files at 100k and 1M records.
import { createAuditLog, memorySink } from '@flagstate/audit';
import { LruStateStore, parseMachines, TransitionEngine } from '@flagstate/core';
import { StateMachineProvider } from '@flagstate/provider';
import { FlagdCore, MemoryStorage } from '@openfeature/flagd-core';
import { do_not_optimize, measure } from 'mitata';
import { rebuildTable } from './durable-rebuild.js';
import { median } from './report.js';

const SIZES = [10_000, 100_000, 1_000_000] as const;
const ROUNDS = 4;
/**
 * CPU time per benchmark and round. mitata's `measure` directly, not `run`: `run` calibrates
 * itself for ~2.5 s at every call, which at 3 sizes × 4 rounds would be most of this group's time.
 */
const MIN_CPU_NS = 250e6;
const SILENT = { error() {}, warn() {}, info() {}, debug() {} };

const flags = {
  checkout: { state: 'ENABLED', variants: { legacy: 'L', canary: 'C', v2: 'V' }, defaultVariant: 'canary' },
};
const machines = {
  checkout: {
    version: 1,
    initial: 'legacy',
    flags: ['checkout'],
    enforcement: 'enforce',
    states: { legacy: {}, canary: { minDwell: '1h' }, v2: {} },
    transitions: [
      { from: 'legacy', to: 'canary' },
      { from: 'canary', to: 'v2' },
    ],
  },
};

/**
 * Subjects in a fixed pseudo-random order, so that consecutive evaluations touch unrelated
 * entries, as requests from many users do: a large table then costs cache misses.
 */
function visitOrder(n: number): Uint32Array {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  let seed = 0x2545f491;
  for (let i = n - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

async function atSize(n: number) {
  const subjects = Array.from({ length: n }, (_, i) => `user-${i}`);
  const contexts = subjects.map((targetingKey) => ({ targetingKey }));
  const order = visitOrder(n);
  let k = 0;
  const next = () => {
    k = k + 1 === n ? 0 : k + 1;
    return order[k]!;
  };

  // The hook's engine on the hook's default store kind (evicting), every subject in `canary`.
  const parsed = parseMachines({ machines });
  const machine = parsed.get('checkout')!;
  const engine = new TransitionEngine({ machines: parsed, store: new LruStateStore({ maxSubjects: n }) });
  const map = new Map<string, string>();
  for (const subject of subjects) {
    engine.observe({ machine, subject, state: 'canary' });
    map.set(subject, 'canary');
  }
  const observation = { machine, subject: '', state: 'canary' };
  const mapGet = () => do_not_optimize(map.get(subjects[next()]!) === 'canary');
  const observe = () => {
    observation.subject = subjects[next()]!;
    do_not_optimize(engine.observe(observation));
  };

  // The provider enforcing on its default store kind (refusing), every subject steady in
  // `canary`, against flagd-core resolving the same flag, both awaited.
  const store = new LruStateStore({ maxSubjects: n, whenFull: 'refuse' });
  const provider = new StateMachineProvider({
    source: { flags, machines },
    store,
    audit: createAuditLog({ sinks: [memorySink()] }),
  });
  await provider.initialize();
  const seed = new TransitionEngine({ machines: provider.document!.machines, store });
  for (const subject of subjects) seed.observe({ machine, subject, state: 'canary' });
  const storage = new MemoryStorage(SILENT);
  storage.setConfigurations(JSON.stringify({ flags }), true);
  const core = new FlagdCore(storage, SILENT);
  const check = await provider.resolveStringEvaluation('checkout', 'x', contexts[0]!, SILENT);
  if (check.flagMetadata?.['flagstate.held'] !== undefined || check.variant !== 'canary') {
    throw new Error(`scaling: the provider is not steady: ${JSON.stringify(check)}`);
  }
  const flagd = async () =>
    do_not_optimize(await core.resolveStringEvaluation('checkout', 'x', contexts[next()]!, SILENT));
  const enforce = async () =>
    do_not_optimize(await provider.resolveStringEvaluation('checkout', 'x', contexts[next()]!, SILENT));

  // Each round measures a baseline and then what is compared with it, back to back.
  const ns = { map: [] as number[], observe: [] as number[], flagd: [] as number[], enforce: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of [
      ['map', mapGet],
      ['observe', observe],
      ['flagd', flagd],
      ['enforce', enforce],
    ] as const) {
      ns[name].push((await measure(fn, { min_cpu_time: MIN_CPU_NS })).avg);
    }
  }
  await provider.onClose();
  return ns;
}

/** Median ns of `xs`, and the median over the rounds of `xs / base`. */
function versus(xs: readonly number[], base: readonly number[]): { ns: number; ratio: number } {
  return { ns: median(xs), ratio: median(xs.map((x, r) => x / base[r]!)) };
}

export async function scaling(): Promise<string> {
  const rows: string[] = [];
  for (const n of SIZES) {
    const ns = await atSize(n);
    const observe = versus(ns.observe, ns.map);
    const enforce = versus(ns.enforce, ns.flagd);
    const added = median(ns.enforce.map((x, r) => x - ns.flagd[r]!));
    const f = (x: number) => x.toFixed(1);
    rows.push(
      `| ${n.toLocaleString('en')} | ${f(median(ns.map))} | ${f(observe.ns)} | ${observe.ratio.toFixed(2)} | ${f(median(ns.flagd))} | ${f(enforce.ns)} | ${enforce.ratio.toFixed(2)} | ${added.toFixed(0)} |`,
    );
  }
  return [
    '## Scaling',
    '',
    '### Cost per steady evaluation by number of subjects',
    '',
    `Every subject already in its state; subjects visited in a fixed pseudo-random order. ns per evaluation, median of ${ROUNDS} rounds (mitata, ${MIN_CPU_NS / 1e6} ms of CPU per benchmark and round); each ratio is taken against its baseline within each round. Engine: \`TransitionEngine.observe\` on \`new LruStateStore({ maxSubjects })\` (evicting, the hook's default), against \`Map.get\` on a map of the same subjects. Provider: \`resolveStringEvaluation\` called directly on an enforced flag, on \`new LruStateStore({ maxSubjects, whenFull: 'refuse' })\` (the provider's default kind), against flagd-core resolving the same flag, both awaited.`,
    '',
    '| subjects | Map.get ns | engine observe ns | × Map.get | flagd-core awaited ns | provider enforce ns | × flagd-core | enforcement adds, ns |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    rebuildTable(),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await scaling());
  process.exit(0);
}
