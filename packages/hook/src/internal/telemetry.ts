import type { StateOutcome } from '@flagstate/core';
import type { Attributes } from '@opentelemetry/api';
import { ATTR } from '../telemetry-names.js';
import { instruments } from './instruments.js';

/**
 * One hook's view of the shared instruments: attribute objects are built once per (flag,
 * machine, from, to, action) and reused, as OpenTelemetry's hot paths expect.
 */
export class Telemetry {
  readonly #attrs = new Map<string, Attributes>();

  /** The transition attributes of an outcome, also those of its span event. */
  attributes(flagKey: string, o: StateOutcome): Attributes {
    return this.#pick(
      `${flagKey}\u0000${o.machine.id}\u0000${o.from ?? ''}\u0000${o.to}\u0000${o.action}`,
      () => ({
        [ATTR.key]: flagKey,
        [ATTR.machine]: o.machine.id,
        ...(o.from === undefined ? {} : { [ATTR.from]: o.from }),
        [ATTR.to]: o.to,
        [ATTR.action]: o.action,
      }),
    );
  }

  /**
   * Counts one state record. A record that moved the subject (not a race, not a migration,
   * which renames a state without leaving it) also gives the dwell in the state left, and the
   * evaluation time when `durationNs` is given: the caller gives it once per evaluation.
   */
  record(flagKey: string, o: StateOutcome, attrs: Attributes, durationNs: number | undefined): void {
    const { transitions, duration, dwell } = instruments();
    transitions.add(1, attrs);
    if (o.kind === 'race' || o.kind === 'migration' || o.from === o.to) return;
    if (durationNs !== undefined) {
      duration.record(
        durationNs / 1e9,
        this.#pick(`d\u0000${flagKey}\u0000${o.machine.id}\u0000${o.to}`, () => ({
          [ATTR.key]: flagKey,
          [ATTR.machine]: o.machine.id,
          [ATTR.to]: o.to,
        })),
      );
    }
    const from = o.from;
    if (o.dwellMs !== undefined && from !== undefined) {
      dwell.record(
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
}
