import { v7 as uuidv7 } from 'uuid';
import {
  ACTION_SHAPES,
  AUDIT_DATASET,
  AUDIT_PROVIDER,
  type AuditRecord,
  ECS_VERSION,
} from '../audit-record.js';

/** The fields every record of one log shares: it owns them. */
export interface LogIdentity {
  readonly service: AuditRecord['service'];
  readonly dataStream: AuditRecord['data_stream'];
}

/** A record the log writes about itself, a checkpoint or a gap, before its place in the stream. */
export function logRecord(
  identity: LogIdentity,
  action: 'audit-checkpoint' | 'audit-gap',
  message: string,
): Omit<AuditRecord, 'audit'> {
  const shape = ACTION_SHAPES[action];
  return {
    '@timestamp': new Date().toISOString(),
    ecs: { version: ECS_VERSION },
    message,
    log: { level: shape.level },
    event: {
      kind: 'event',
      category: ['configuration'],
      type: [shape.type],
      action,
      outcome: shape.outcome,
      id: uuidv7(),
      dataset: AUDIT_DATASET,
      provider: AUDIT_PROVIDER,
    },
    data_stream: identity.dataStream,
    service: identity.service,
  };
}
