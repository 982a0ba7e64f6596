import type { AuditLog, StateOutcome, StateStore } from '@flagstate/core';
import {
  type Attributes,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  metrics,
  type ObservableResult,
} from '@opentelemetry/api';
import { ATTR, METER_NAME } from '../telemetry-names.js';

const WRITTEN = Object.freeze({ [ATTR.result]: 'written' });
const GAP = Object.freeze({ [ATTR.result]: 'gap' });

/**
 * The hook's instruments, created once per global MeterProvider: metrics have no proxy
 * provider in the OpenTelemetry API, so if the SDK is registered after the hook, the
 * instruments are created again against it. Attribute objects are cached per key.
 */
export class Telemetry {
  #provider: MeterProvider | undefined;
  #transitions!: Counter;
  #duration!: Histogram;
  #dwell!: Histogram;
  readonly #attrs = new Map<string, Attributes>();
  readonly #store: StateStore;
  readonly #audit: AuditLog;

  constructor(store: StateStore, audit: AuditLog) {
    this.#store = store;
    this.#audit = audit;
  }

  /** The transition attributes of an outcome, built once per (flag, machine, from, to, action). */
  attributes(flagKey: string, o: StateOutcome): Attributes {
    const key = `${flagKey}\u0000${o.machine.id}\u0000${o.from ?? ''}\u0000${o.to}\u0000${o.action}`;
    let attrs = this.#attrs.get(key);
    if (attrs === undefined) {
      attrs = Object.freeze({
        [ATTR.key]: flagKey,
        [ATTR.machine]: o.machine.id,
        ...(o.from === undefined ? {} : { [ATTR.from]: o.from }),
        [ATTR.to]: o.to,
        [ATTR.action]: o.action,
      });
      this.#attrs.set(key, attrs);
    }
    return attrs;
  }

  /** Counts one state record, and for a change of state, its evaluation time and the dwell. */
  record(flagKey: string, o: StateOutcome, attrs: Attributes, durationNs: number | undefined): void {
    this.#ensure();
    this.#transitions.add(1, attrs);
    if (o.kind === 'race' || o.from === o.to) return;
    if (durationNs !== undefined) {
      this.#duration.record(
        durationNs / 1e9,
        this.#pick(`d\u0000${flagKey}\u0000${o.machine.id}\u0000${o.to}`, () => ({
          [ATTR.key]: flagKey,
          [ATTR.machine]: o.machine.id,
          [ATTR.to]: o.to,
        })),
      );
    }
    if (o.dwellMs !== undefined && o.from !== undefined) {
      const from = o.from;
      this.#dwell.record(
        o.dwellMs / 1e3,
        this.#pick(`w\u0000${o.machine.id}\u0000${from}`, () => ({
          [ATTR.machine]: o.machine.id,
          [ATTR.from]: from,
        })),
      );
    }
  }

  #pick(key: string, build: () => Attributes): Attributes {
    let attrs = this.#attrs.get(key);
    if (attrs === undefined) {
      attrs = Object.freeze(build());
      this.#attrs.set(key, attrs);
    }
    return attrs;
  }

  #ensure(): void {
    const provider = metrics.getMeterProvider();
    if (provider === this.#provider) return;
    this.#provider = provider;
    const meter: Meter = provider.getMeter(METER_NAME);
    this.#transitions = meter.createCounter('flagstate.transitions', {
      description: 'State records written: inits, transitions, illegal, held, migration, stale and race',
      unit: '{transition}',
    });
    this.#duration = meter.createHistogram('flagstate.transition.duration', {
      description: 'Evaluation time of evaluations that changed a subject’s state',
      unit: 's',
    });
    this.#dwell = meter.createHistogram('flagstate.state.dwell', {
      description: 'Time a subject spent in the state it left',
      unit: 's',
    });
    const audit = this.#audit;
    const store = this.#store;
    meter
      .createObservableCounter('flagstate.audit.records', {
        description: 'Audit records written, and records missed by in-process subscribers',
        unit: '{record}',
      })
      .addCallback((result: ObservableResult) => {
        const stats = audit.stats();
        result.observe(stats.sequence, WRITTEN);
        result.observe(stats.missed, GAP);
      });
    meter
      .createObservableGauge('flagstate.store.subjects', {
        description: 'Tracked subjects',
        unit: '{subject}',
      })
      .addCallback(async (result: ObservableResult) => {
        result.observe(await store.size());
      });
  }

  /** Makes sure the observable instruments exist even before the first record. */
  start(): void {
    this.#ensure();
  }
}
