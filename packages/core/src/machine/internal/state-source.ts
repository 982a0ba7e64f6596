import type { StateFrom } from '../state-from.js';
import { stateFromValue } from '../state-value.js';

const VARIANT = 0;
const VALUE = 1;
const MAPPED = 2;

/**
 * A machine's `stateFrom`, compiled into lookups: the state an evaluation reports is read
 * without building anything (for string values; other values become canonical JSON).
 */
export class StateSource {
  readonly #mode: number;
  readonly #variants: ReadonlyMap<string, string> | undefined;
  readonly #values: ReadonlyMap<string, string> | undefined;

  constructor(from: StateFrom) {
    this.#mode = from === 'variant' ? VARIANT : from === 'value' ? VALUE : MAPPED;
    const map = typeof from === 'object' ? from : undefined;
    this.#variants = map?.variant ? new Map(Object.entries(map.variant)) : undefined;
    this.#values = map?.value ? new Map(Object.entries(map.value)) : undefined;
  }

  /**
   * The state an evaluation that reported `variant` and `value` gives; `undefined` when it
   * gives none (no variant, and nothing to read it from). Under a map, the variant's entry
   * wins, then the value's; what neither names passes through as it was reported: the value's
   * text when a `value` map is given, else the variant.
   */
  of(variant: string | undefined, value: unknown): string | undefined {
    const mode = this.#mode;
    if (mode === VARIANT) return variant;
    if (mode === VALUE) return stateFromValue(value);
    if (variant !== undefined && this.#variants !== undefined) {
      const state = this.#variants.get(variant);
      if (state !== undefined) return state;
    }
    if (this.#values === undefined) return variant;
    const text = stateFromValue(value);
    return this.#values.get(text) ?? text;
  }
}
