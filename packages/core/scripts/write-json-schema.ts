// Writes the machine document's JSON Schema into the package, for editors' `$schema`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { machineDocumentJsonSchema } from '../src/machine-schema.js';

const target = new URL('../schema/machine-document.schema.json', import.meta.url);
mkdirSync(new URL('.', target), { recursive: true });
writeFileSync(target, `${JSON.stringify(machineDocumentJsonSchema(), null, 2)}\n`);
