export { AuditLog, createAuditLog } from './audit/audit-log.js';
export { AuditLogClosedError } from './audit/audit-log-closed-error.js';
export type { AuditLogOptions, AuditLogStats } from './audit/audit-log-options.js';
export type {
  AuditAction,
  AuditEvent,
  AuditFields,
  AuditRecord,
  AuditRecordDraft,
  CheckpointFields,
  EventOutcome,
  EventType,
  FeatureFlagFields,
  GapFields,
  LogLevel,
  PreviousStreamFields,
  SealFields,
  StateChangeFields,
  SuspensionFields,
} from './audit/audit-record.js';
export {
  ACTION_SHAPES,
  AUDIT_DATASET,
  AUDIT_PROVIDER,
  ECS_VERSION,
  GENESIS_HASH,
} from './audit/audit-record.js';
export { auditRecordJsonSchema, auditRecordSchema } from './audit/audit-record-schema.js';
export { AuditReplayer } from './audit/audit-replayer.js';
export type { AuditInput, AuditVerifierPartial } from './audit/audit-verifier.js';
export { AuditVerifier } from './audit/audit-verifier.js';
export type { KeyInput } from './audit/checkpoint-signature.js';
export { keyId } from './audit/checkpoint-signature.js';
export type { ClaimBatch } from './audit/claim-batch.js';
export { batchClaim, claimBatch } from './audit/claim-batch.js';
export { canonicalRecord, chainHash, hashRecord } from './audit/hash-chain.js';
export type { PseudonymizeOptions } from './audit/pseudonymize.js';
export { createPseudonymizer } from './audit/pseudonymize.js';
export type { AuditEntry, AuditLine, ReadAuditOptions } from './audit/read-audit.js';
export { parseAuditLines, readAuditEntries, readAuditFiles, readAuditLines } from './audit/read-audit.js';
export type { AuditRecordFactoryOptions, EvaluationFacts } from './audit/record-factory.js';
export { createAuditRecordFactory } from './audit/record-factory.js';
export type { ReplayConflict, ReplayedState, ReplayReport } from './audit/replay-audit.js';
export { replayAudit } from './audit/replay-audit.js';
export type { ReplayClaim } from './audit/replay-claim.js';
export { compareClaims, replayClaim } from './audit/replay-claim.js';
export { verifyAudit } from './audit/verify-audit.js';
export type {
  StreamReport,
  VerifyFailure,
  VerifyOptions,
  VerifyProblem,
  VerifyReport,
} from './audit/verify-report.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export { MAX_SUBJECT_LENGTH } from './context-path.js';
export type { DefinitionIssue } from './definition-issue.js';
export { describeIssues } from './definition-issue.js';
export { DurableState, openDurableState } from './durable/durable-state.js';
export type { DurableStateOptions } from './durable/durable-state-options.js';
export type { RecoveryReport } from './durable/rebuild-store.js';
export type { DurationInput } from './duration.js';
export { formatDuration, parseDuration } from './duration.js';
export { METADATA } from './flag-metadata-keys.js';
export { FlagstateError } from './flagstate-error.js';
export type { HeldReason } from './held-reason.js';
export type { LruStateStoreOptions } from './lru-state-store.js';
export { LruStateStore } from './lru-state-store.js';
export type {
  Enforcement,
  Guard,
  StateDefinition,
  Transition,
} from './machine.js';
export { Machine } from './machine.js';
export type { MachineDefinitionErrorCode } from './machine-definition-error.js';
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
export type { Observation } from './observation.js';
export type {
  IllegalReason,
  Outcome,
  OutcomeKind,
  OutcomeReason,
  RaceReason,
  StaleReason,
  StateAction,
  StateOutcome,
  SteadyOutcome,
} from './outcome.js';
export { OUTCOME_ACTIONS, outcomeChain, STEADY } from './outcome.js';
export type { ParseMachinesOptions } from './parse-machines.js';
export { checkMachines, parseMachines } from './parse-machines.js';
export type { AuditSink } from './sinks/audit-sink.js';
export type { FileSinkOptions } from './sinks/file-sink.js';
export { fileSink } from './sinks/file-sink.js';
export type { MemorySink } from './sinks/memory-sink.js';
export { memorySink } from './sinks/memory-sink.js';
export type { ResumePoint } from './sinks/resume-point.js';
export { stdoutSink } from './sinks/stdout-sink.js';
export { streamSink } from './sinks/stream-sink.js';
export type { StateFrom, StateMap } from './state-from.js';
export { parseStateKey, stateKey } from './state-key.js';
export type { StateRecord } from './state-record.js';
export { stateRecord } from './state-record.js';
export type { MaybePromise, StateEntry, StateStore, StateStoreStats } from './state-store.js';
export { stateFromValue } from './state-value.js';
export { StoreFullError } from './store-full-error.js';
export { storeSnapshot } from './store-snapshot.js';
export type { TransitionEngineOptions } from './transition-engine.js';
export { TransitionEngine } from './transition-engine.js';
