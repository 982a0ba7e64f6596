// `@flagstate/audit/internal`: what flagstate's own packages (core, the hook, the provider, the
// CLI) share beyond the public API. No semver promise: names here change with any release.
// Nothing here loads zod (the public entry does, for its schemas), so the CLI's reading
// commands and their worker threads import the readers from here and start a fifth of a second
// sooner each.

export { canonicalJson } from './internal/canonical-json.js';
export { describeValue } from './internal/describe-value.js';
export { closeAtExit, closedBeforeExit } from './internal/exit-flush.js';
export { formatDuration } from './internal/format-duration.js';
export { formatPath } from './internal/format-path.js';
export { isObject } from './internal/is-object.js';
export { isPromise } from './internal/is-promise.js';
export { isoTimeValue } from './internal/iso-time-value.js';
export { NameTable } from './internal/name-table.js';
export { firstLineSync, readLinesSync } from './internal/read-lines-sync.js';
export { wellFormed } from './internal/well-formed.js';
export { writeAllSync } from './internal/write-all-sync.js';
export { readAuditLines } from './read/read-audit.js';
export { ACTION_SHAPES } from './records/audit-record.js';
export { AuditReplayer } from './replay/audit-replayer.js';
export type { ClaimBatch } from './replay/claim-batch.js';
export { batchClaim, claimBatch } from './replay/claim-batch.js';
export type { ReplayClaim } from './replay/replay-claim.js';
export { compareClaims, readClaim, replayClaim } from './replay/replay-claim.js';
export { scannedClaim } from './replay/scanned-claim.js';
export type { AuditVerifierPartial } from './verify/audit-verifier.js';
export { AuditVerifier, addPlainLine } from './verify/audit-verifier.js';
export type { ScannedObject } from './verify/internal/canonical-scan.js';
export { scanCanonicalObject } from './verify/internal/canonical-scan.js';
export { ShapeMemo } from './verify/internal/shape-memo.js';
