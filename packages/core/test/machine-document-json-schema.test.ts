import { readFileSync } from 'node:fs';
import { machineDocumentJsonSchema } from '@flagstate/core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { checkoutDocument, machineDoc } from './fixtures/checkout.js';

describe('machine document JSON Schema', () => {
  const schema = machineDocumentJsonSchema();
  const validate = new Ajv2020({ strict: false }).compile(schema);

  it('is shipped in the package as generated', () => {
    const shipped = JSON.parse(
      readFileSync(new URL('../schema/machine-document.schema.json', import.meta.url), 'utf8'),
    );
    expect(shipped).toEqual(schema);
  });

  it('accepts valid documents and rejects malformed ones, as an editor would', () => {
    expect(validate(checkoutDocument), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(machineDoc())).toBe(true);
    expect(validate(machineDoc({ enforcement: 'block' }))).toBe(false);
    expect(validate(machineDoc({ states: { a: { minDwell: '1 hour' } } }))).toBe(false);
    expect(validate(machineDoc({ states: { a: { minDwel: 5 } } }))).toBe(false);
    expect(validate(machineDoc({ version: 1.5 }))).toBe(false);
    expect(validate({ machines: { 'bad id': machineDoc().machines.m } })).toBe(false);
  });
});
