import { readFileSync } from 'node:fs';
import { FLAGD_SCHEMA_URL, flagDocumentJsonSchema } from '@flagstate/provider';
import { describe, expect, it } from 'vitest';

describe('flag document JSON Schema', () => {
  it('extends flagd’s schema with machines, and ships as generated', () => {
    const schema = flagDocumentJsonSchema() as {
      allOf: Array<{ $ref: string }>;
      properties: { machines: { type: string } };
    };
    expect(schema.allOf).toEqual([{ $ref: FLAGD_SCHEMA_URL }]);
    expect(schema.properties.machines.type).toBe('object');
    const shipped = JSON.parse(
      readFileSync(new URL('../schema/flag-document.schema.json', import.meta.url), 'utf8'),
    );
    expect(shipped).toEqual(schema);
  });
});
