// Writes the audit record's JSON Schema into the package, for consumers of the audit stream.
import { mkdirSync, writeFileSync } from 'node:fs';
import { auditRecordJsonSchema } from '../src/records/audit-record-schema.js';

const dir = new URL('../schema/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(
  new URL('audit-record.schema.json', dir),
  `${JSON.stringify(auditRecordJsonSchema(), null, 2)}\n`,
);
