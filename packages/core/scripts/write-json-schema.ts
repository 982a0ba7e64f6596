// Writes the machine document's JSON Schema into the package, for editors' `$schema`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { machineDocumentJsonSchema } from '../src/machine/machine-schema.js';

const dir = new URL('../schema/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(
  new URL('machine-document.schema.json', dir),
  `${JSON.stringify(machineDocumentJsonSchema(), null, 2)}\n`,
);
