import { ACTION_SHAPES } from '@flagstate/audit/internal';
import type { StateOutcome } from '@flagstate/core';
import type { Attributes } from '@opentelemetry/api';
import { METER_NAME, TRANSITION_EVENT } from '../telemetry-names.js';
import { GlobalLogger } from './logs-api.js';
import { severityOf } from './severity.js';

/** Where the hook's transition event goes: see the `events` option. */
export type TransitionEvents = 'span' | 'log' | 'both';

const CHOICES: readonly TransitionEvents[] = ['span', 'log', 'both'];

/** The `events` option, checked: a typo must not silently turn the event off. */
export function transitionEvents(events: unknown): TransitionEvents {
  if (events === undefined) return 'span';
  if (!CHOICES.includes(events as TransitionEvents)) {
    throw new TypeError(
      `events must be one of ${CHOICES.map((c) => `"${c}"`).join(', ')}, got ${String(events)}`,
    );
  }
  return events as TransitionEvents;
}

/**
 * The transition as a log-based event (OpenTelemetry's semantic conventions give events a
 * name in the log record's `eventName` field, no longer an `event.name` attribute): the span
 * event's attributes, severity from the action's `log.level`, and the active context, so that a
 * span active during the evaluation correlates it. A no-op until a logs SDK is registered.
 */
export class TransitionLogEvents {
  readonly #logger = new GlobalLogger(METER_NAME, "StateTransitionHook's events: 'log' and 'both'");
  readonly #failed: (error: unknown) => void;

  /** `failed` hears what the logs SDK throws; `emit` itself never throws. */
  constructor(failed: (error: unknown) => void) {
    this.#failed = failed;
  }

  emit(o: StateOutcome, attributes: Attributes): void {
    const level = ACTION_SHAPES[o.action].level;
    try {
      this.#logger.get().emit({
        eventName: TRANSITION_EVENT,
        severityNumber: severityOf(level),
        severityText: level,
        attributes,
      });
    } catch (error) {
      this.#failed(error);
    }
  }
}
