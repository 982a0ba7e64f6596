import { FlagstateError } from '../flagstate-error.js';

/** Thrown by `append` after `close()`: the caller has a lifecycle bug, and nothing is dropped silently. */
export class AuditLogClosedError extends FlagstateError {
  readonly code = 'AUDIT_LOG_CLOSED';

  constructor() {
    super('the audit log is closed');
  }
}
