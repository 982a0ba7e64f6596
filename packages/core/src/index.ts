export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { DurationInput } from './duration.js';
export { formatDuration, parseDuration } from './duration.js';
export type { LruStateStoreOptions } from './lru-state-store.js';
export { LruStateStore } from './lru-state-store.js';
export type {
  Enforcement,
  Guard,
  StateDefinition,
  StateFrom,
  Transition,
} from './machine.js';
export { Machine } from './machine.js';
export type { DefinitionIssue } from './machine-definition-error.js';
export { MachineDefinitionError } from './machine-definition-error.js';
export type {
  MachineDefinitionInput,
  MachineDocumentInput,
  MigrationDefinitionInput,
  StateDefinitionInput,
  TransitionDefinitionInput,
} from './machine-schema.js';
export {
  MACHINE_ID_PATTERN,
  machineDefinitionSchema,
  machineDocumentJsonSchema,
  machineDocumentSchema,
} from './machine-schema.js';
export { MachineSet } from './machine-set.js';
export type {
  Outcome,
  OutcomeKind,
  OutcomeReason,
  StateAction,
  StateOutcome,
  SteadyOutcome,
} from './outcome.js';
export { OUTCOME_ACTIONS, outcomeChain, STEADY } from './outcome.js';
export type { ParseMachinesOptions } from './parse-machines.js';
export { checkMachines, parseMachines } from './parse-machines.js';
export { parseStateKey, stateKey } from './state-key.js';
export type { StateRecord } from './state-record.js';
export { stateRecord } from './state-record.js';
export type { MaybePromise, StateEntry, StateStore } from './state-store.js';
export { stateFromValue } from './state-value.js';
export type { Observation, TransitionEngineOptions } from './transition-engine.js';
export { TransitionEngine } from './transition-engine.js';
