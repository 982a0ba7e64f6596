import {
  type Counter,
  type Histogram,
  type MeterProvider,
  metrics,
  type ObservableResult,
} from '@opentelemetry/api';
import { ATTR, METER_NAME } from '../telemetry-names.js';
import { TelemetrySources } from './telemetry-sources.js';

const WRITTEN = Object.freeze({ [ATTR.result]: 'written' });
const GAP = Object.freeze({ [ATTR.result]: 'gap' });
const EVICTED = Object.freeze({ [ATTR.result]: 'evicted' });
const REFUSED = Object.freeze({ [ATTR.result]: 'refused' });
/**
 * Bucket boundaries, in seconds, for backends that keep explicit-bucket histograms (Prometheus):
 * the SDK's default ones (0, 5, 10… 10000) would put every evaluation in the first bucket and
 * most bake times in the last. An SDK view still overrides them.
 */
const DURATION_BUCKETS = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
  0.5, 1,
];
const DWELL_BUCKETS = [1, 10, 60, 300, 900, 3600, 4 * 3600, 86_400, 7 * 86_400, 30 * 86_400, 90 * 86_400];

/** The synchronous instruments every hook records with. */
export interface Instruments {
  readonly transitions: Counter;
  readonly duration: Histogram;
  readonly dwell: Histogram;
}

/** Every hook's audit logs and stores, observed once per collection. */
export const sources = new TelemetrySources();

let current: { provider: MeterProvider; instruments: Instruments } | undefined;

/**
 * The instruments of the global MeterProvider, created once per provider and shared by every
 * hook in the process: the OpenTelemetry API has no proxy meter provider, so an SDK registered
 * after the hooks gets its own instruments at the next call. The observable instruments are
 * registered with them, once, over `sources`.
 */
export function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (current !== undefined && current.provider === provider) return current.instruments;
  const meter = provider.getMeter(METER_NAME);
  const created: Instruments = {
    transitions: meter.createCounter('flagstate.transitions', {
      description: 'State records written: inits, transitions, illegal, held, migration, stale and race',
      unit: '{transition}',
    }),
    duration: meter.createHistogram('flagstate.transition.duration', {
      description: 'Evaluation time of evaluations that changed a subject’s state',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    dwell: meter.createHistogram('flagstate.state.dwell', {
      description: 'Time a subject spent in the state it left',
      unit: 's',
      advice: { explicitBucketBoundaries: DWELL_BUCKETS },
    }),
  };
  meter
    .createObservableCounter('flagstate.audit.records', {
      description: 'Audit records written, and records missed by in-process subscribers',
      unit: '{record}',
    })
    .addCallback((result: ObservableResult) => {
      const { written, missed } = sources.auditCounts();
      result.observe(written, WRITTEN);
      result.observe(missed, GAP);
    });
  meter
    .createObservableCounter('flagstate.store.evictions', {
      description: 'Known subjects a bounded store forgot (evicted), and new subjects a full one refused',
      unit: '{subject}',
    })
    .addCallback((result: ObservableResult) => {
      const { evicted, refused } = sources.storeCounts();
      result.observe(evicted, EVICTED);
      result.observe(refused, REFUSED);
    });
  meter
    .createObservableGauge('flagstate.store.subjects', { description: 'Tracked subjects', unit: '{subject}' })
    .addCallback(async (result: ObservableResult) => {
      result.observe(await sources.subjects());
    });
  current = { provider, instruments: created };
  return created;
}
