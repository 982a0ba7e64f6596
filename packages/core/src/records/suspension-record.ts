import {
  AUDIT_DATASET,
  AUDIT_PROVIDER,
  type AuditRecordDraft,
  ECS_VERSION,
  type SuspensionFields,
} from '@flagstate/audit';
import { ACTION_SHAPES, wellFormed } from '@flagstate/audit/internal';
import { v7 as uuidv7 } from 'uuid';

const SHAPE = ACTION_SHAPES['enforcement-suspended'];

/**
 * The `enforcement-suspended` record of one window: how many evaluations of which machine
 * were served without enforcement, why, by which policy, and what they were served.
 */
export function suspensionRecord(fields: SuspensionFields): AuditRecordDraft {
  const served = Object.entries(fields.served)
    .map(([what, n]) => `${what} ${n}`)
    .join(', ');
  return {
    '@timestamp': fields.to,
    ecs: { version: ECS_VERSION },
    message: wellFormed(
      `${fields.machine}: enforcement suspended for ${fields.evaluations} evaluation${fields.evaluations === 1 ? '' : 's'} (${fields.reason}); policy ${fields.policy} served ${served}`,
    ),
    log: { level: SHAPE.level },
    event: {
      kind: 'event',
      category: ['configuration'],
      type: [SHAPE.type],
      action: 'enforcement-suspended',
      outcome: SHAPE.outcome,
      reason: fields.reason,
      id: uuidv7(),
      sequence: 0,
      dataset: AUDIT_DATASET,
      provider: AUDIT_PROVIDER,
    },
    audit: {
      suspension: { ...fields, ...(fields.error === undefined ? {} : { error: wellFormed(fields.error) }) },
    },
  };
}
