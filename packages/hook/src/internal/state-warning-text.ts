import { type Machine, stateFromValue } from '@flagstate/core';

/** What a provider reported, as the warnings quote it. */
export interface Reported {
  readonly provider: string;
  readonly flagKey: string;
  readonly variant: string | undefined;
  readonly value: unknown;
}

const quote = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

function got(r: Reported): string {
  const variant = r.variant === undefined ? 'no variant' : `variant ${quote(r.variant)}`;
  return `provider ${quote(r.provider)} reported ${variant} and value ${quote(stateFromValue(r.value))} for flag ${quote(r.flagKey)}`;
}

/** The first evaluation that gives no state: the provider reports no variant and `stateFrom` reads none. */
export function noStateWarning(machine: Machine, r: Reported): string {
  const value = quote(stateFromValue(r.value));
  const fix = machine.hasState(stateFromValue(r.value))
    ? `set stateFrom: "value" on the machine (the value is a state)`
    : `set stateFrom: "value", or map values to states with stateFrom: { value: { ${value}: "<state>" } }`;
  return `flagstate: machine "${machine.id}": ${got(r)}, so the evaluation gives no state and is not tracked (counted in stats().missingState); ${fix} (logged once per machine)`;
}

/** The first state reported that the machine does not have, with the `stateFrom` that would map it. */
export function notAStateWarning(machine: Machine, state: string, r: Reported): string {
  const text = stateFromValue(r.value);
  const from = machine.stateFrom;
  let fix: string;
  if (from === 'variant' && machine.hasState(text)) {
    fix = `set stateFrom: "value" on the machine (the value is a state)`;
  } else if (from === 'variant' || (typeof from === 'object' && from.value === undefined)) {
    fix = `map variants to states with stateFrom: { variant: { ${quote(r.variant ?? state)}: "<state>" } }`;
  } else {
    fix = `map values to states with stateFrom: { value: { ${quote(text)}: "<state>" } }`;
  }
  return `flagstate: machine "${machine.id}": ${got(r)}, which gives ${quote(state)}, not a state of the machine (states: ${machine.stateNames.join(', ')}): such subjects are recorded as in an unknown state; ${fix} (logged once per machine)`;
}
