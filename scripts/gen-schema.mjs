// Writes templates/schema/*.schema.json from the zod schemas (run `npm run build` first).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemaFiles } from '../dist/schema/json-schema.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'templates', 'schema');
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(jsonSchemaFiles())) {
  writeFileSync(path.join(dir, name), text);
  console.log(`wrote templates/schema/${name}`);
}
