// Writes the JSON Schemas in schemas/ from the zod declarations (built to dist/): the lockfile and the JSON report.
import { writeFileSync } from 'node:fs';
import { lockfileJsonSchema } from '../dist/core/lockfile/json-schema.js';
import { reportJsonSchema } from '../dist/report/model.js';

for (const [file, schema] of [
  ['mcp-lock.schema.json', lockfileJsonSchema()],
  ['report.schema.json', reportJsonSchema()],
]) {
  writeFileSync(new URL(`../schemas/${file}`, import.meta.url), JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote schemas/${file}`);
}
