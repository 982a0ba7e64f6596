import type { MetricPoint } from './otel.js';

/** One line of what the OpenTelemetry SDK recorded, read from the collecting metric reader. */
export function metricsLine(metrics: ReadonlyMap<string, readonly MetricPoint[]>): string {
  const sum = (name: string, where: (a: Readonly<Record<string, unknown>>) => boolean = () => true) =>
    (metrics.get(name) ?? []).filter((p) => where(p.attributes)).reduce((n, p) => n + p.value, 0);
  const byAction = new Map<string, number>();
  for (const p of metrics.get('flagstate.transitions') ?? []) {
    const action = String(p.attributes['flagstate.action']).replace(/^state-/, '');
    byAction.set(action, (byAction.get(action) ?? 0) + p.value);
  }
  const actions = [...byAction].map(([a, n]) => `${a} ${n}`).join(', ');
  const evaluation = metrics.get('checkout.flag_evaluation.duration') ?? [];
  const count = evaluation.reduce((n, p) => n + p.value, 0);
  const seconds = evaluation.reduce((n, p) => n + (p.sum ?? 0), 0);
  const mean = count === 0 ? 'n/a' : `${((seconds / count) * 1000).toFixed(3)} ms`;
  return [
    `flagstate.transitions ${sum('flagstate.transitions')} (${actions})`,
    `flagstate.audit.records{written} ${sum('flagstate.audit.records', (a) => a['flagstate.result'] === 'written')}`,
    `flagstate.store.subjects ${sum('flagstate.store.subjects')}`,
    `checkout.requests ${sum('checkout.requests')}`,
    `checkout.flag_evaluation.duration count ${count}, mean ${mean}`,
  ].join(' | ');
}
