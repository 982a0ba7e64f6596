/** Which signals the demo sends over OTLP. */
export interface OtlpSignals {
  readonly logs: boolean;
  readonly metrics: boolean;
  readonly traces: boolean;
  /** Where to, as the user set it: the shared endpoint, or the first signal's own. */
  readonly endpoint: string | undefined;
}

const SIGNALS = ['logs', 'metrics', 'traces'] as const;

/**
 * OpenTelemetry's standard variables, read as the OTLP exporters read them: a signal is sent
 * when `OTEL_EXPORTER_OTLP_ENDPOINT` or its own `OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT` is set,
 * unless `OTEL_<SIGNAL>_EXPORTER` is set without `otlp` in it (`none`, `console`…).
 */
export function otlpSignals(env: NodeJS.ProcessEnv): OtlpSignals {
  const set = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const shared = set('OTEL_EXPORTER_OTLP_ENDPOINT');
  const on = (signal: (typeof SIGNALS)[number]) => {
    const upper = signal.toUpperCase();
    const exporters = set(`OTEL_${upper}_EXPORTER`);
    if (exporters !== undefined && !exporters.split(',').some((e) => e.trim() === 'otlp')) return false;
    return (shared ?? set(`OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`)) !== undefined;
  };
  const endpoint =
    shared ?? SIGNALS.map((s) => set(`OTEL_EXPORTER_OTLP_${s.toUpperCase()}_ENDPOINT`)).find((e) => e);
  return { logs: on('logs'), metrics: on('metrics'), traces: on('traces'), endpoint };
}

/** One line for the banner: what goes out over OTLP. */
export function describeOtlp(otlp: OtlpSignals): string {
  const on = SIGNALS.filter((s) => otlp[s]);
  return on.length === 0
    ? 'off (set OTEL_EXPORTER_OTLP_ENDPOINT to send logs, metrics and traces)'
    : `${on.join(', ')} to ${otlp.endpoint} (OTLP/HTTP)`;
}
