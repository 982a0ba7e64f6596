import { describeValue } from '@flagstate/audit/internal';
import { z } from 'zod';
import { DURATION_PATTERN } from './duration.js';

/** Machine ids end up in store keys, metric attributes and file names, so they stay plain. */
export const MACHINE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Why an id does not match `MACHINE_ID_PATTERN`. */
export function machineIdMessage(id: unknown): string {
  return `machine id ${typeof id === 'string' ? JSON.stringify(id) : describeValue(id)} must start with a letter or digit and hold only letters, digits, "_", "." and "-"`;
}

/** A strict object whose unknown-key message lists the keys that are allowed. */
function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = `allowed: ${Object.keys(shape).join(', ')}`;
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? allowed : undefined),
  });
}

const durationMessage = (iss: { input?: unknown }) =>
  `expected a duration: milliseconds or a string such as "500ms", "30s", "15m", "1h" or "2d", got ${describeValue(iss.input)}`;

const duration = z.union(
  [
    z.number({ error: durationMessage }).nonnegative({ error: durationMessage }),
    z.string({ error: durationMessage }).regex(DURATION_PATTERN, { error: durationMessage }),
  ],
  { error: durationMessage },
);

const stateName = z.string().min(1);

export const stateDefinitionSchema = strictObject({
  minDwell: duration.optional().describe('Bake time before a subject may leave this state.'),
  maxDwell: duration.optional().describe('Staying longer than this is reported as stale.'),
  final: z.boolean().optional().describe('A final state has no outgoing transitions.'),
});

export const flagGuardSchema = strictObject({
  flag: z.string().min(1).describe('Allowed only while this boolean flag is true for the same context.'),
});

/** A JSON Logic rule has one operator key; its operators are checked by the engine that runs it. */
export const jsonLogicGuardSchema = z.record(z.string(), z.unknown());

const guard = z.union([flagGuardSchema, jsonLogicGuardSchema], {
  error: (iss) => `expected { "flag": "<key>" } or a JSON Logic rule object, got ${describeValue(iss.input)}`,
});

export const transitionDefinitionSchema = strictObject({
  from: z.union([z.literal('*'), stateName, z.array(stateName).min(1)], {
    error: (iss) => `expected a state, a list of states or "*", got ${describeValue(iss.input)}`,
  }),
  to: stateName,
  name: z.string().min(1).optional(),
  guard: guard.optional(),
});

export const migrationDefinitionSchema = strictObject({
  fromVersion: z.number().int().positive(),
  states: z.record(z.string(), stateName).describe('Each old state mapped to its state in this version.'),
});

const stateMapEntries = (description: string) =>
  z.record(z.string(), stateName).describe(description).optional();

/** A map from what a provider reports to states, for providers whose variants are not state names. */
export const stateMapSchema = strictObject({
  variant: stateMapEntries('Each variant as the provider reports it (e.g. "0", "1"), mapped to its state.'),
  value: stateMapEntries(
    'Each value as text (strings as they are, others as JSON, e.g. "false", "42"), mapped to its state.',
  ),
}).refine((m) => m.variant !== undefined || m.value !== undefined, {
  error: 'expected a "variant" map, a "value" map or both',
});

const stateFrom = z.union([z.enum(['variant', 'value']), stateMapSchema], {
  error: (iss) =>
    `expected "variant", "value" or { "variant": { … }, "value": { … } } mapping what the provider reports to states, got ${describeValue(iss.input)}`,
});

export const machineDefinitionSchema = strictObject({
  version: z.number().int().positive().describe('Grows whenever states or transitions change.'),
  initial: stateName,
  states: z.record(z.string().min(1), stateDefinitionSchema),
  transitions: z.array(transitionDefinitionSchema).default([]),
  flags: z.array(z.string().min(1)).min(1).describe('The flag keys bound to this machine.'),
  subject: z.string().min(1).default('targetingKey').describe('Context attribute path of the subject.'),
  stateFrom: stateFrom
    .default('variant')
    .describe(
      'Where evaluations report the state: the variant, the value as text, or maps from variants and/or values to states.',
    ),
  enforcement: z.enum(['audit', 'enforce']).default('audit'),
  migrations: z.array(migrationDefinitionSchema).default([]),
});

const machineId = z.string().regex(MACHINE_ID_PATTERN, { error: (iss) => machineIdMessage(iss.input) });

/** A document holding machines: a flagd flag document with `machines`, or `machines` alone. */
export const machineDocumentSchema = z.looseObject({
  $schema: z.string().optional(),
  machines: z.record(machineId, machineDefinitionSchema).optional(),
});

export type StateDefinitionInput = z.input<typeof stateDefinitionSchema>;
export type TransitionDefinitionInput = z.input<typeof transitionDefinitionSchema>;
export type StateMapInput = z.input<typeof stateMapSchema>;
export type MigrationDefinitionInput = z.input<typeof migrationDefinitionSchema>;
export type MachineDefinitionInput = z.input<typeof machineDefinitionSchema>;
export type MachineDocumentInput = z.input<typeof machineDocumentSchema>;
export type MachineDefinitionParsed = z.output<typeof machineDefinitionSchema>;

/** JSON Schema (draft 2020-12) of a machine document, for editors and `$schema`. */
export function machineDocumentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(machineDocumentSchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'flagstate machine document',
  };
}
