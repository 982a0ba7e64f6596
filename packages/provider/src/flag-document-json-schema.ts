import { machineDocumentJsonSchema } from '@flagstate/core';

/** Where flagd publishes the schema of its flag-definition documents. */
export const FLAGD_SCHEMA_URL = 'https://flagd.dev/schema/v0/flags.json';

/**
 * JSON Schema (draft 2020-12) of a flagstate flag document: flagd's own schema for `flags`,
 * `$evaluators` and `metadata`, plus flagstate's `machines`.
 */
export function flagDocumentJsonSchema(): Record<string, unknown> {
  const machines = machineDocumentJsonSchema() as {
    properties: { machines: unknown };
    $defs?: Record<string, unknown>;
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'flagstate flag document (flagd flags + machines)',
    type: 'object',
    allOf: [{ $ref: FLAGD_SCHEMA_URL }],
    properties: { machines: machines.properties.machines },
    ...(machines.$defs ? { $defs: machines.$defs } : {}),
  };
}
