import { type AuditInput, AuditVerifier } from './audit-verifier.js';
import type { VerifyOptions, VerifyReport } from './verify-report.js';

/**
 * Checks the hash chain of audit records from one or many files and streams, and tells apart
 * an edited, deleted, reordered or duplicated record, a cut tail, a bad signature, and across
 * process lifetimes (streams linked by `audit.previous`) a deleted, cut or foreign run and a
 * fork. Files may be given in any order. The input is read once, one item at a time, and
 * memory grows with streams and files, not records: `verifyAudit(readAuditLines(paths))`
 * verifies files of any size, fastest, as it hashes each line as written.
 */
export function verifyAudit(input: Iterable<AuditInput>, options: VerifyOptions = {}): VerifyReport {
  const verifier = new AuditVerifier(options);
  for (const item of input) verifier.add(item);
  return verifier.report();
}
