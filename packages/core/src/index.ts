// The error family's base class and the record vocabulary are the audit stream's; core's own
// errors and outcomes build on them.
export type { StateAction } from '@flagstate/audit';
export { FlagstateError } from '@flagstate/audit';
export { DurableState, openDurableState } from './durable/durable-state.js';
export type { DurableStateOptions } from './durable/durable-state-options.js';
export type { RecoveryReport } from './durable/rebuild-store.js';
export type { Clock } from './engine/clock.js';
export { systemClock } from './engine/clock.js';
export { MAX_SUBJECT_LENGTH } from './engine/context-path.js';
export { METADATA } from './engine/flag-metadata-keys.js';
export type { HeldReason } from './engine/held-reason.js';
export type { Observation } from './engine/observation.js';
export type {
  IllegalReason,
  Outcome,
  OutcomeKind,
  OutcomeReason,
  RaceReason,
  StaleReason,
  StateOutcome,
  SteadyOutcome,
} from './engine/outcome.js';
export { OUTCOME_ACTIONS, outcomeChain, STEADY } from './engine/outcome.js';
export type { TransitionEngineOptions } from './engine/transition-engine.js';
export { TransitionEngine } from './engine/transition-engine.js';
export type { DefinitionIssue } from './machine/definition-issue.js';
export { describeIssues } from './machine/definition-issue.js';
export type { DurationInput } from './machine/duration.js';
export { formatDuration, parseDuration } from './machine/duration.js';
export type { Enforcement, StateDefinition } from './machine/machine.js';
export { Machine } from './machine/machine.js';
export type { MachineDefinitionErrorCode } from './machine/machine-definition-error.js';
export { MachineDefinitionError } from './machine/machine-definition-error.js';
export type {
  MachineDefinitionInput,
  MachineDocumentInput,
  MigrationDefinitionInput,
  StateDefinitionInput,
  TransitionDefinitionInput,
} from './machine/machine-schema.js';
export {
  MACHINE_ID_PATTERN,
  machineDefinitionSchema,
  machineDocumentJsonSchema,
  machineDocumentSchema,
} from './machine/machine-schema.js';
export { MachineSet } from './machine/machine-set.js';
export type { ParseMachinesOptions } from './machine/parse-machines.js';
export { checkMachines, parseMachines } from './machine/parse-machines.js';
export type { StateFrom, StateMap } from './machine/state-from.js';
export { parseStateKey, stateKey } from './machine/state-key.js';
export { stateFromValue } from './machine/state-value.js';
export type { Guard, Transition } from './machine/transition.js';
export type { PseudonymizeOptions } from './records/pseudonymize.js';
export type { LruStateStoreOptions } from './store/lru-state-store.js';
export { LruStateStore } from './store/lru-state-store.js';
export type { StateRecord } from './store/state-record.js';
export { stateRecord } from './store/state-record.js';
export type { MaybePromise, StateEntry, StateStore, StateStoreStats } from './store/state-store.js';
export { StoreFullError } from './store/store-full-error.js';
export { storeSnapshot } from './store/store-snapshot.js';
