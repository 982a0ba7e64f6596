/**
 * Maps from what a provider reports to states: `variant` keys are variants as the provider
 * reports them (LaunchDarkly reports variation indices, "0", "1"…), `value` keys are values as
 * text (`stateFromValue`: `"false"`, `"42"`, `"legacy"`). At least one of them is given.
 */
export interface StateMap {
  readonly variant?: Readonly<Record<string, string>> | undefined;
  readonly value?: Readonly<Record<string, string>> | undefined;
}

/**
 * Where a machine reads a subject's state in an evaluation: its `variant`, its `value` as text,
 * or a `StateMap` over either or both.
 */
export type StateFrom = 'variant' | 'value' | StateMap;
