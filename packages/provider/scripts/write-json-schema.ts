// Writes the flag document's JSON Schema into the package, for editors' `$schema`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { flagDocumentJsonSchema } from '../src/flag-document-json-schema.js';

const target = new URL('../schema/flag-document.schema.json', import.meta.url);
mkdirSync(new URL('.', target), { recursive: true });
writeFileSync(target, `${JSON.stringify(flagDocumentJsonSchema(), null, 2)}\n`);
