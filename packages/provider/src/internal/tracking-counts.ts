import { ATTR } from '@flagstate/hook';
import {
  TRACKED_EVENTS_LIMIT,
  TRACKING_EVENTS_METRIC,
  type TrackedEvents,
  type UnattributedReason,
} from '../tracked-events.js';
import { providerCounter } from './provider-counter.js';

const OTHER = '(other)';

const trackingCounter = providerCounter(
  TRACKING_EVENTS_METRIC,
  'Tracking events (OpenFeature track()), by machine, the state the subject was in, and event name',
  '{event}',
);

interface Cell {
  count: number;
  /** Built once per triple, as the hook's attribute objects are. */
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * Tracking events per machine and per state of the tracked subject, for guarded rollouts:
 * counted in memory (read with `read()`) and on the `flagstate.tracking.events` counter.
 * Event names come from callers, so the triples kept are bounded.
 */
export class TrackingCounts {
  readonly #cells = new Map<string, Map<string, Map<string, Cell>>>();
  readonly #unattributed = new Map<string, Map<UnattributedReason, Cell>>();
  #distinct = 0;

  /** One event of a subject stored in `state` of `machine`. */
  count(machine: string, state: string, event: string): void {
    const byEvent = entry(entry(this.#cells, machine), state);
    let cell = byEvent.get(event);
    if (cell === undefined) {
      const name = this.#distinct < TRACKED_EVENTS_LIMIT ? event : OTHER;
      cell = byEvent.get(name);
      if (cell === undefined) {
        this.#distinct++;
        cell = {
          count: 0,
          attributes: Object.freeze({
            [ATTR.machine]: machine,
            [ATTR.state]: state,
            [ATTR.trackingEvent]: name,
          }),
        };
        byEvent.set(name, cell);
      }
    }
    cell.count++;
    trackingCounter().add(1, cell.attributes);
  }

  /** One event that has no state of `machine` to count under. */
  unattributed(machine: string, reason: UnattributedReason): void {
    const byReason = entry(this.#unattributed, machine);
    let cell = byReason.get(reason);
    if (cell === undefined) {
      cell = {
        count: 0,
        attributes: Object.freeze({ [ATTR.machine]: machine, [ATTR.changeReason]: reason }),
      };
      byReason.set(reason, cell);
    }
    cell.count++;
    trackingCounter().add(1, cell.attributes);
  }

  /** A copy of the counts. */
  read(): TrackedEvents {
    const counts = <K>(cells: ReadonlyMap<K, Cell>) => new Map([...cells].map(([k, c]) => [k, c.count]));
    return {
      byState: new Map(
        [...this.#cells].map(([machine, byState]) => [
          machine,
          new Map([...byState].map(([state, byEvent]) => [state, counts(byEvent)])),
        ]),
      ),
      unattributed: new Map(
        [...this.#unattributed].map(([machine, byReason]) => [machine, counts(byReason)]),
      ),
      distinct: this.#distinct,
    };
  }
}

/** The map under `key`, made on first use. */
function entry<K, V>(outer: Map<string, Map<K, V>>, key: string): Map<K, V> {
  let inner = outer.get(key);
  if (inner === undefined) {
    inner = new Map();
    outer.set(key, inner);
  }
  return inner;
}
