// Writes the JSON Schemas into the package: the machine document (for editors' `$schema`) and
// the audit record (for consumers of the audit stream).
import { mkdirSync, writeFileSync } from 'node:fs';
import { auditRecordJsonSchema } from '../src/audit/audit-record-schema.js';
import { machineDocumentJsonSchema } from '../src/machine-schema.js';

const dir = new URL('../schema/', import.meta.url);
mkdirSync(dir, { recursive: true });
const write = (name: string, schema: unknown) =>
  writeFileSync(new URL(name, dir), `${JSON.stringify(schema, null, 2)}\n`);
write('machine-document.schema.json', machineDocumentJsonSchema());
write('audit-record.schema.json', auditRecordJsonSchema());
