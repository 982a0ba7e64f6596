// `@flagstate/core/internal`: what flagstate's own packages (the hook, the provider, the CLI)
// share beyond the public API. No semver promise: names here change with any release.

// The audit readers, for the CLI and its worker threads: importing them from here keeps zod
// (which the public entry loads for its schemas) out of every thread's start, a fifth of a
// second each.
export { ACTION_SHAPES } from './audit/audit-record.js';
export { AuditReplayer } from './audit/audit-replayer.js';
export type { AuditVerifierPartial } from './audit/audit-verifier.js';
export { AuditVerifier } from './audit/audit-verifier.js';
export type { ClaimBatch } from './audit/claim-batch.js';
export { claimBatch } from './audit/claim-batch.js';
export { readAuditLines } from './audit/read-audit.js';
export type { ReplayClaim } from './audit/replay-claim.js';
export { replayClaim } from './audit/replay-claim.js';
export { suspensionRecord } from './audit/suspension-record.js';
export { describeUnusableSubject, readContextPath, readSubject } from './context-path.js';
export type { GuardCheck, Served } from './decide-served.js';
export { decideServed } from './decide-served.js';
export { formatDuration } from './duration.js';
export { NameTable } from './internal/name-table.js';
export type { HandedRead } from './internal/read-handover.js';
export { anyHandedReads, handOverRead, takeHandedRead } from './internal/read-handover.js';
export type { MutableStateRecord } from './state-record.js';
export { blankStateRecord } from './state-record.js';
export { readStateRecord } from './state-store.js';
