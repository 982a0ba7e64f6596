export type { KeyInput } from './chain/checkpoint-signature.js';
export { keyId } from './chain/checkpoint-signature.js';
export { canonicalRecord, chainHash, hashRecord } from './chain/hash-chain.js';
export { FlagstateError } from './flagstate-error.js';
export { AuditLog, createAuditLog } from './log/audit-log.js';
export { AuditLogClosedError } from './log/audit-log-closed-error.js';
export type { AuditLogOptions, AuditLogStats } from './log/audit-log-options.js';
export type { AuditEntry, AuditLine, ReadAuditOptions } from './read/read-audit.js';
export { parseAuditLines, readAuditEntries, readAuditFiles, readAuditLines } from './read/read-audit.js';
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
  StateAction,
  StateChangeFields,
  SuspensionFields,
} from './records/audit-record.js';
export { AUDIT_DATASET, AUDIT_PROVIDER, ECS_VERSION, GENESIS_HASH } from './records/audit-record.js';
export { auditRecordJsonSchema, auditRecordSchema } from './records/audit-record-schema.js';
export { AuditReplayer } from './replay/audit-replayer.js';
export type { ReplayConflict, ReplayedState, ReplayReport } from './replay/replay-audit.js';
export { replayAudit } from './replay/replay-audit.js';
export type { AuditSink } from './sinks/audit-sink.js';
export type { FileSinkOptions } from './sinks/file-sink.js';
export { fileSink } from './sinks/file-sink.js';
export type { MemorySink } from './sinks/memory-sink.js';
export { memorySink } from './sinks/memory-sink.js';
export type { ResumePoint } from './sinks/resume-point.js';
export { stdoutSink } from './sinks/stdout-sink.js';
export { streamSink } from './sinks/stream-sink.js';
export type { AuditInput, AuditVerifierPartial } from './verify/audit-verifier.js';
export { AuditVerifier } from './verify/audit-verifier.js';
export { verifyAudit } from './verify/verify-audit.js';
export type {
  StreamReport,
  VerifyFailure,
  VerifyOptions,
  VerifyProblem,
  VerifyReport,
} from './verify/verify-report.js';
