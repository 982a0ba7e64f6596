import { z } from 'zod';
import { ACTION_SHAPES, DATA_STREAM_PART_PATTERN, STREAM_ID_PATTERN } from './audit-record.js';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const isoTimestamp = z.iso.datetime({ offset: true });
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
/** `audit.stream`: a UUID (v7 by default) or a ULID. */
const streamId = z.string().regex(STREAM_ID_PATTERN);
/**
 * data_stream naming rules: lower case, no `-` and none of `\/*?"<>| ,#`, not starting with
 * `_`, not `.` or `..`, at most 100 bytes.
 */
const dataStreamPart = z.string().regex(DATA_STREAM_PART_PATTERN);

const actions = Object.keys(ACTION_SHAPES) as [keyof typeof ACTION_SHAPES, ...(keyof typeof ACTION_SHAPES)[]];

/** The audit record as zod sees it: used by `verifyAudit` and by users' own checks. */
export const auditRecordSchema = z
  .strictObject({
    '@timestamp': isoTimestamp,
    ecs: z.strictObject({ version: z.string().regex(/^\d+\.\d+\.\d+/) }),
    message: z.string(),
    log: z.strictObject({ level: z.enum(['info', 'warn']) }),
    event: z.strictObject({
      kind: z.literal('event'),
      category: z.tuple([z.literal('configuration')]),
      type: z.tuple([z.enum(['creation', 'change', 'denied', 'info'])]),
      action: z.enum(actions),
      outcome: z.enum(['success', 'failure', 'unknown']),
      reason: z.string().optional(),
      id: uuid,
      sequence: z.number().int().positive().optional(),
      duration: z.number().int().nonnegative().optional(),
      dataset: dataStreamPart,
      provider: z.string(),
      hash: hex64.optional(),
    }),
    data_stream: z.strictObject({
      type: z.literal('logs'),
      dataset: dataStreamPart,
      namespace: dataStreamPart,
    }),
    trace: z.strictObject({ id: z.string().regex(/^[0-9a-f]{32}$/) }).optional(),
    span: z.strictObject({ id: z.string().regex(/^[0-9a-f]{16}$/) }).optional(),
    service: z.strictObject({ name: z.string().min(1) }),
    feature_flag: z
      .strictObject({
        key: z.string(),
        provider: z.strictObject({ name: z.string() }).optional(),
        result: z.strictObject({ variant: z.string().optional(), reason: z.string().optional() }).optional(),
        context: z.strictObject({ id: z.string() }).optional(),
        set: z.strictObject({ id: z.string() }).optional(),
        version: z.string().optional(),
      })
      .optional(),
    state_change: z
      .strictObject({
        machine: z.string(),
        machine_version: z.number().int().positive(),
        subject: z.string(),
        from: z.string().optional(),
        to: z.string(),
        transition: z.string().optional(),
        subject_version: z.number().int().nonnegative(),
        entered_at: isoTimestamp.optional(),
        previous_entered_at: isoTimestamp.optional(),
        dwell_ms: z.number().int().nonnegative().optional(),
        pending: z.string().optional(),
        reason: z.string().optional(),
        stale: z.literal(true).optional(),
        last_known: z.string().optional(),
      })
      .optional(),
    labels: z.record(z.string().regex(/^[^.]+$/), z.string().max(1024)).optional(),
    audit: z.strictObject({
      stream: streamId,
      prev_hash: hex64.optional(),
      previous: z
        .strictObject({
          stream: streamId,
          sequence: z.number().int().positive(),
          hash: hex64,
        })
        .optional(),
      checkpoint: z
        .strictObject({
          count: z.number().int().nonnegative(),
          head: hex64,
          final: z.boolean(),
          signature: z.string().optional(),
          key_id: z.string().optional(),
          sealed: z
            .strictObject({
              by: streamId,
              torn_bytes: z.number().int().nonnegative(),
              file: z.string().optional(),
            })
            .optional(),
        })
        .optional(),
      gap: z
        .strictObject({
          from_sequence: z.number().int().positive(),
          to_sequence: z.number().int().positive(),
          missed: z.number().int().positive(),
        })
        .optional(),
      suspension: z
        .strictObject({
          machine: z.string(),
          reason: z.string(),
          policy: z.string(),
          evaluations: z.number().int().positive(),
          served: z.record(z.string(), z.number().int().positive()),
          from: isoTimestamp,
          to: isoTimestamp,
          error: z.string().optional(),
        })
        .optional(),
    }),
  })
  .superRefine((record, ctx) => {
    const shape = ACTION_SHAPES[record.event.action];
    if (record.event.outcome !== shape.outcome) {
      ctx.addIssue({
        code: 'custom',
        path: ['event', 'outcome'],
        message: `must be "${shape.outcome}" for ${record.event.action}`,
      });
    }
    if (record.event.type[0] !== shape.type) {
      ctx.addIssue({
        code: 'custom',
        path: ['event', 'type'],
        message: `must be ["${shape.type}"] for ${record.event.action}`,
      });
    }
    if (record.log.level !== shape.level) {
      ctx.addIssue({
        code: 'custom',
        path: ['log', 'level'],
        message: `must be "${shape.level}" for ${record.event.action}`,
      });
    }
    const isState = record.event.action.startsWith('state-');
    if (isState && (record.state_change === undefined || record.feature_flag === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['state_change'],
        message: 'state records carry state_change and feature_flag',
      });
    }
    if (record.event.action === 'audit-checkpoint' && record.audit.checkpoint === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['audit', 'checkpoint'],
        message: 'checkpoint records carry audit.checkpoint',
      });
    }
    if (record.event.action === 'enforcement-suspended' && record.audit.suspension === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['audit', 'suspension'],
        message: 'enforcement-suspended records carry audit.suspension',
      });
    }
    if (record.event.action === 'audit-gap' && record.audit.gap === undefined) {
      ctx.addIssue({ code: 'custom', path: ['audit', 'gap'], message: 'gap records carry audit.gap' });
    }
  });

/** JSON Schema (draft 2020-12) of one audit record, generated from `auditRecordSchema`. */
export function auditRecordJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(auditRecordSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }),
    title: 'flagstate audit record',
  };
}
